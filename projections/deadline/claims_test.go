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
