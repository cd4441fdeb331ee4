package deadline

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

func TestClaimsLeaseEachRowToOneRunner(t *testing.T) {
	t.Parallel()
	db := projectiontest.ReadModels(t)
	// given ten subscriptions due at t1 and one due later
	for id := range int64(11) {
		due := t1
		if id == 10 {
			due = t1.AddDate(0, 1, 0)
		}
		if _, err := db.ExecContext(t.Context(), `INSERT INTO billing_deadlines (subscription_id, state, kind, due_at,
			revision) VALUES ($1, '{}', 'renew', $2, 0)`, id+1, due); err != nil {
			t.Fatal(err)
		}
	}
	now := func() time.Time { return t0 }
	a, b := Claims{DB: db, Owner: "a", Now: now}, Claims{DB: db, Owner: "b", Now: now}
	// when a claims six and b claims the rest
	first, err := a.Claim(t.Context(), t1, 6, nil)
	if err != nil {
		t.Fatal(err)
	}
	second, err := b.Claim(t.Context(), t1, 100, []int64{7})
	if err != nil {
		t.Fatal(err)
	}
	// then no row went to both, the one skipped and the one due later to neither
	seen := map[int64]bool{}
	for _, d := range append(first, second...) {
		if seen[d.SubscriptionID] || d.SubscriptionID == 11 {
			t.Errorf("subscription %d claimed twice or before it is due", d.SubscriptionID)
		}
		seen[d.SubscriptionID] = true
	}
	if len(first) != 6 || len(second) != 3 || seen[7] {
		t.Errorf("claimed %d and %d (7 skipped: %v), want 6 and 3", len(first), len(second), !seen[7])
	}
	// and once a releases its leases, b may claim its rows, while a lease that ran out frees them too
	if err := a.ReleaseAll(t.Context()); err != nil {
		t.Fatal(err)
	}
	again, err := b.Claim(t.Context(), t1, 100, nil)
	if err != nil {
		t.Fatal(err)
	}
	later := Claims{DB: db, Owner: "c", Now: func() time.Time { return t0.Add(2 * time.Minute) }}
	expired, err := later.Claim(t.Context(), t1, 100, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != 7 || len(expired) != 10 {
		t.Errorf("after the release b claimed %d, want 7 (a's six and the skipped one); after the leases ended %d, want 10",
			len(again), len(expired))
	}
}

func TestRenewingLeasesKeepsRowsFromOtherRunners(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		renewAt time.Duration // after the claim; 0: never renewed
		otherAt time.Duration // when another runner claims
		taken   int           // rows the other runner gets
	}{
		{name: "a lease never renewed runs out", otherAt: 70 * time.Second, taken: 3},
		{name: "a renewed lease holds past its first end", renewAt: 50 * time.Second, otherAt: 70 * time.Second},
		{name: "a renewed lease ends a lease after the renewal", renewAt: 50 * time.Second, otherAt: 111 * time.Second, taken: 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// given three rows due, claimed by a
			db := projectiontest.ReadModels(t)
			for id := range int64(3) {
				if _, err := db.ExecContext(t.Context(), `INSERT INTO billing_deadlines (subscription_id, state, kind,
					due_at, revision) VALUES ($1, '{}', 'renew', $2, 0)`, id+1, t1); err != nil {
					t.Fatal(err)
				}
			}
			a := Claims{DB: db, Owner: "a", Now: func() time.Time { return t0 }}
			if claimed, err := a.Claim(t.Context(), t1, 10, nil); err != nil || len(claimed) != 3 {
				t.Fatalf("a claimed %d (%v)", len(claimed), err)
			}
			// when a renews its leases (or not) and b claims later
			if c.renewAt > 0 {
				a.Now = func() time.Time { return t0.Add(c.renewAt) }
				if err := a.Renew(t.Context()); err != nil {
					t.Fatal(err)
				}
			}
			b := Claims{DB: db, Owner: "b", Now: func() time.Time { return t0.Add(c.otherAt) }}
			taken, err := b.Claim(t.Context(), t1, 10, nil)
			// then b gets the rows only once a's lease ran out
			if err != nil || len(taken) != c.taken {
				t.Errorf("b claimed %d (%v), want %d", len(taken), err, c.taken)
			}
		})
	}
}

func TestKeepRenewsLeasesUntilStopped(t *testing.T) {
	t.Parallel()
	// given a row claimed by a with a lease of three seconds, kept
	db := projectiontest.ReadModels(t)
	if _, err := db.ExecContext(t.Context(), `INSERT INTO billing_deadlines (subscription_id, state, kind, due_at,
		revision) VALUES (1, '{}', 'renew', $1, 0)`, t1); err != nil {
		t.Fatal(err)
	}
	a := Claims{DB: db, Owner: "a", Lease: 3 * time.Second}
	if claimed, err := a.Claim(t.Context(), t1, 10, nil); err != nil || len(claimed) != 1 {
		t.Fatalf("a claimed %d (%v)", len(claimed), err)
	}
	stop := a.Keep(t.Context(), func(err error) { t.Errorf("renewal: %v", err) })
	// when the first lease would have run out
	time.Sleep(4 * time.Second)
	stop()
	// then the row is still a's, and it stops being so a lease after the keeping stopped
	b := Claims{DB: db, Owner: "b"}
	if taken, err := b.Claim(t.Context(), t1, 10, nil); err != nil || len(taken) != 0 {
		t.Errorf("b claimed %d (%v) while a kept its lease", len(taken), err)
	}
	later := Claims{DB: db, Owner: "b", Now: func() time.Time { return time.Now().Add(3 * time.Second) }}
	if taken, err := later.Claim(t.Context(), t1, 10, nil); err != nil || len(taken) != 1 {
		t.Errorf("b claimed %d (%v) after a stopped keeping, want 1", len(taken), err)
	}
}

func TestReleaseAllOutlivesADeadlockWithTheProjection(t *testing.T) {
	t.Parallel()
	// given three rows leased by a, the one the table holds last written by a projection transaction
	db := projectiontest.ReadModels(t)
	for id := range int64(3) {
		if _, err := db.ExecContext(t.Context(), `INSERT INTO billing_deadlines (subscription_id, state, kind, due_at,
			revision) VALUES ($1, '{}', 'renew', $2, 0)`, id+1, t1); err != nil {
			t.Fatal(err)
		}
	}
	a := Claims{DB: db, Owner: "a", Now: func() time.Time { return t0 }}
	if claimed, err := a.Claim(t.Context(), t1, 10, nil); err != nil || len(claimed) != 3 {
		t.Fatalf("a claimed %d (%v)", len(claimed), err)
	}
	var last int64
	if err := db.GetContext(t.Context(), &last, `SELECT subscription_id FROM billing_deadlines ORDER BY ctid DESC LIMIT 1`); err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTxx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(t.Context(), `UPDATE billing_deadlines SET revision = 1 WHERE subscription_id = $1`, last); err != nil {
		t.Fatal(err)
	}
	// when a releases its leases (locking the other rows, then waiting for that one) and the transaction
	// goes on to write the other rows: a deadlock PostgreSQL breaks by aborting the release
	released := make(chan error, 1)
	go func() { released <- a.ReleaseAll(t.Context()) }()
	for waiting := 0; waiting == 0; time.Sleep(10 * time.Millisecond) {
		if err := db.GetContext(t.Context(), &waiting, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tx.ExecContext(t.Context(), `UPDATE billing_deadlines SET revision = 1 WHERE subscription_id <> $1`, last); err != nil {
		t.Fatalf("the projection's transaction was the deadlock's victim, not the release: %v", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	// then the release tries again once the transaction committed, and every lease is gone
	if err := <-released; err != nil {
		t.Fatalf("release: %v", err)
	}
	var leased int
	if err := db.GetContext(t.Context(), &leased, `SELECT count(*) FROM billing_deadlines WHERE lease_owner IS NOT NULL`); err != nil || leased != 0 {
		t.Errorf("%d rows still leased (%v)", leased, err)
	}
}
