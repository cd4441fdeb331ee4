package idempotency_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
	"github.com/pelcro-oss/pelcro-api/internal/idempotency"
)

var secret = []byte("idempotency-secret-of-the-tests-0123456789")

// newDB returns a fresh database with the migrations applied.
func newDB(t testing.TB) *sqlx.DB {
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
		{"an erased subject's answers are forgotten, others' stay", func(t *testing.T, _ *clock, s *idempotency.Store, a idempotency.Attempt) {
			// given an answer about customer 42 and one about nobody under another key
			about := answer
			about.Subject = idempotency.CustomerSubject(42)
			if err := s.Finish(ctx, begin(t, s, a, idempotency.Proceed), about); err != nil {
				t.Fatal(err)
			}
			other := a
			other.Key += "-other"
			if err := s.Finish(ctx, begin(t, s, other, idempotency.Proceed), answer); err != nil {
				t.Fatal(err)
			}
			// when the customer is erased
			forgotten, err := s.Forget(ctx, about.Subject)
			if err != nil || forgotten != 1 {
				t.Fatalf("Forget = %d, %v; want 1 answer forgotten", forgotten, err)
			}
			// then a retry of their request is a new request, not a replay of what it answered; the other stays
			begin(t, s, a, idempotency.Proceed)
			begin(t, s, other, idempotency.Replay)
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
