package idempotency_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/internal/idempotency"
	"github.com/pelcro-oss/pelcro-api/projections/catalog/catalogtest"
)

var secret = []byte("idempotency-secret-of-the-tests-0123456789")

// newDB returns a fresh database with the migrations applied.
func newDB(t *testing.T) *sqlx.DB {
	t.Helper()
	return catalogtest.New(t).DB
}

// clock is a settable test clock, safe for concurrent use.
type clock struct{ now atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.now.Store(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC).UnixMicro())
	return c
}

func (c *clock) Now() time.Time          { return time.UnixMicro(c.now.Load()) }
func (c *clock) advance(d time.Duration) { c.now.Add(d.Microseconds()) }

// newStore is a store over db on its own clock, as one API instance.
func newStore(t *testing.T, db *sqlx.DB, c *clock) *idempotency.Store {
	t.Helper()
	s, err := idempotency.NewStore(db, secret)
	if err != nil {
		t.Fatal(err)
	}
	s.Now = c.Now
	return s
}

func begin(t *testing.T, s *idempotency.Store, a idempotency.Attempt, want idempotency.Outcome) idempotency.Claim {
	t.Helper()
	claim, err := s.Begin(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	if claim.Outcome != want {
		t.Fatalf("Begin(%s/%s) = outcome %d, want %d", a.Scope, a.Key, claim.Outcome, want)
	}
	return claim
}

var answer = idempotency.Response{Status: 200, Header: http.Header{"Content-Type": {"application/json"}},
	Body: []byte(`{"data":{"auth_token":"eyJ.secret.jwt"}}`)}

func TestStore(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	ctx := context.Background()
	cases := []struct {
		name string
		run  func(t *testing.T, c *clock, s *idempotency.Store, a idempotency.Attempt)
	}{
		{"a finished key replays its answer and refuses another request", func(t *testing.T, _ *clock, s *idempotency.Store, a idempotency.Attempt) {
			first := begin(t, s, a, idempotency.Proceed)
			if first.CommandID == "" {
				t.Fatal("no command id")
			}
			if err := s.Finish(ctx, first, answer); err != nil {
				t.Fatal(err)
			}
			replay := begin(t, s, a, idempotency.Replay)
			if replay.Response.Status != 200 || !bytes.Equal(replay.Response.Body, answer.Body) ||
				replay.Response.Header.Get("Content-Type") != "application/json" {
				t.Fatalf("replayed %+v", replay.Response)
			}
			other := a
			other.Fingerprint = []byte("another request")
			begin(t, s, other, idempotency.Mismatch)
		}},
		{"a held key is busy until its holder is done", func(t *testing.T, _ *clock, s *idempotency.Store, a idempotency.Attempt) {
			held := begin(t, s, a, idempotency.Proceed)
			begin(t, s, a, idempotency.Busy)
			if err := s.Finish(ctx, held, answer); err != nil {
				t.Fatal(err)
			}
			begin(t, s, a, idempotency.Replay)
		}},
		{"an abandoned key runs the same request again under the same command id", func(t *testing.T, _ *clock, s *idempotency.Store, a idempotency.Attempt) {
			first := begin(t, s, a, idempotency.Proceed)
			if err := s.Abandon(ctx, first); err != nil {
				t.Fatal(err)
			}
			other := a
			other.Fingerprint = []byte("another request")
			begin(t, s, other, idempotency.Mismatch)
			if again := begin(t, s, a, idempotency.Proceed); again.CommandID != first.CommandID {
				t.Fatalf("command id %s after abandoning, first %s", again.CommandID, first.CommandID)
			}
		}},
		{"a crashed holder's key is taken over after its lease with the same command id", func(t *testing.T, c *clock, s *idempotency.Store, a idempotency.Attempt) {
			crashed := begin(t, s, a, idempotency.Proceed)
			c.advance(idempotency.DefaultLease - time.Second)
			begin(t, s, a, idempotency.Busy)
			c.advance(time.Second)
			retry := begin(t, s, a, idempotency.Proceed)
			if retry.CommandID != crashed.CommandID {
				t.Fatalf("command id %s after the takeover, first %s", retry.CommandID, crashed.CommandID)
			}
			// and the crashed holder, should it come back, no longer owns the key
			if err := s.Finish(ctx, crashed, answer); !errors.Is(err, idempotency.ErrLeaseLost) {
				t.Fatalf("Finish by the lost holder = %v", err)
			}
			if err := s.Finish(ctx, retry, answer); err != nil {
				t.Fatal(err)
			}
		}},
		{"the same key of another caller is another key", func(t *testing.T, _ *clock, s *idempotency.Store, a idempotency.Attempt) {
			mine := begin(t, s, a, idempotency.Proceed)
			if err := s.Finish(ctx, mine, answer); err != nil {
				t.Fatal(err)
			}
			theirs := a
			theirs.Scope += "-other"
			if claim := begin(t, s, theirs, idempotency.Proceed); claim.CommandID == mine.CommandID {
				t.Fatal("two callers derive one command id")
			}
		}},
		{"a key expires after the window and is new again", func(t *testing.T, c *clock, s *idempotency.Store, a idempotency.Attempt) {
			first := begin(t, s, a, idempotency.Proceed)
			if err := s.Finish(ctx, first, answer); err != nil {
				t.Fatal(err)
			}
			c.advance(idempotency.Window - time.Second)
			begin(t, s, a, idempotency.Replay)
			c.advance(time.Second)
			again := begin(t, s, a, idempotency.Proceed)
			if again.CommandID == first.CommandID {
				t.Fatal("an expired key's request derives the first command id again")
			}
			if err := s.Abandon(ctx, again); err != nil {
				t.Fatal(err)
			}
			other := a
			other.Fingerprint = []byte("another request")
			c.advance(idempotency.Window)
			begin(t, s, other, idempotency.Proceed)
		}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newClock()
			// given a key of its own
			a := idempotency.Attempt{Scope: "customer:1:" + string(rune('a'+i)), Key: "key-1", Fingerprint: []byte("POST /address {…}")}
			tc.run(t, c, newStore(t, db, c), a)
		})
	}
}

func TestConcurrentRequestsOnTwoInstancesHoldAKeyOnce(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	c := newClock()
	// given two API instances sharing the database
	instances := []*idempotency.Store{newStore(t, db, c), newStore(t, db, c)}
	a := idempotency.Attempt{Scope: "site:1:ip:192.0.2.1", Key: "one-key", Fingerprint: []byte("POST /newsletter")}
	// when 20 requests with one key arrive at once, half on each
	var proceeded, busy atomic.Int32
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			claim, err := instances[i%2].Begin(context.Background(), a)
			switch {
			case err != nil:
				t.Error(err)
			case claim.Outcome == idempotency.Proceed:
				proceeded.Add(1)
			case claim.Outcome == idempotency.Busy:
				busy.Add(1)
			}
		})
	}
	wg.Wait()
	// then exactly one holds the key and every other is told it is busy
	if proceeded.Load() != 1 || busy.Load() != 19 {
		t.Fatalf("%d proceeded, %d busy", proceeded.Load(), busy.Load())
	}
}

func TestNothingStoredIsReadableWithoutTheSecret(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	c := newClock()
	s := newStore(t, db, c)
	a := idempotency.Attempt{Scope: "customer:1:42", Key: "visible-key", Fingerprint: []byte("PUT /customer {\"password\":\"hunter2\"}")}
	// given a finished request whose answer carries a token
	if err := s.Finish(context.Background(), begin(t, s, a, idempotency.Proceed), answer); err != nil {
		t.Fatal(err)
	}
	// when the row is read as an intruder with the database would
	var row struct {
		ID          []byte `db:"id"`
		Fingerprint []byte `db:"fingerprint"`
		Response    []byte `db:"response"`
	}
	if err := db.Get(&row, `SELECT id, fingerprint, response FROM idempotency_keys`); err != nil {
		t.Fatal(err)
	}
	// then neither the key, the caller, the request nor the token appears in it
	for _, secret := range []string{"visible-key", "customer:1:42", "hunter2", "eyJ.secret.jwt", "auth_token"} {
		for _, stored := range [][]byte{row.ID, row.Fingerprint, row.Response} {
			if bytes.Contains(stored, []byte(secret)) {
				t.Fatalf("%q is readable at rest", secret)
			}
		}
	}
	// and a store with another secret does not find the key
	other, err := idempotency.NewStore(db, []byte("another-secret-of-the-tests-0123456789abc"))
	if err != nil {
		t.Fatal(err)
	}
	other.Now = c.Now
	begin(t, other, a, idempotency.Proceed)
	// and an answer copied onto another key's row does not open there
	b := idempotency.Attempt{Scope: "customer:1:43", Key: "visible-key", Fingerprint: a.Fingerprint}
	if err := s.Finish(context.Background(), begin(t, s, b, idempotency.Proceed), idempotency.Response{Status: 204}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE idempotency_keys SET response = $1 WHERE response IS NOT NULL AND id <> $2`, row.Response, row.ID); err != nil {
		t.Fatal(err)
	}
	if claim, err := s.Begin(context.Background(), b); err == nil {
		t.Fatalf("a moved answer opened: %+v", claim.Response)
	}
}

func TestPurgeDeletesOnlyExpiredKeys(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	c := newClock()
	s := newStore(t, db, c)
	old := idempotency.Attempt{Scope: "customer:1:1", Key: "old", Fingerprint: []byte("a")}
	if err := s.Finish(context.Background(), begin(t, s, old, idempotency.Proceed), answer); err != nil {
		t.Fatal(err)
	}
	c.advance(time.Hour)
	fresh := idempotency.Attempt{Scope: "customer:1:1", Key: "fresh", Fingerprint: []byte("a")}
	begin(t, s, fresh, idempotency.Proceed)
	// when the purge runs a window after the first key's use
	c.advance(idempotency.Window - time.Hour)
	purged, err := s.Purge(context.Background())
	// then only that key is gone
	if err != nil || purged != 1 {
		t.Fatalf("purged %d, %v", purged, err)
	}
	var left int
	if err := db.Get(&left, `SELECT count(*) FROM idempotency_keys`); err != nil || left != 1 {
		t.Fatalf("%d rows left, %v", left, err)
	}
}

func TestAShortSecretIsRefused(t *testing.T) {
	t.Parallel()
	if _, err := idempotency.NewStore(nil, []byte("too-short-31-bytes-secret-12345")); err == nil {
		t.Fatal("a 31-byte secret was accepted")
	}
}
