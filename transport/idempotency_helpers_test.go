package transport

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/idempotency"
)

// idempotencyTestSecret keys every test store, so two stores over one database act as two API instances.
var idempotencyTestSecret = []byte("idempotency-key-of-the-tests-0123456789")

// newIdempotencyStore is the Idempotency-Key store over db, as cmd/pelcro wires it.
func newIdempotencyStore(t *testing.T, db *sqlx.DB) *idempotency.Store {
	t.Helper()
	s, err := idempotency.NewStore(db, idempotencyTestSecret)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// withKey sets the request's Idempotency-Key and returns it.
func withKey(req *http.Request, key string) *http.Request {
	req.Header.Set(idempotencyKeyHeader, key)
	return req
}

// customerEventCount is how many events the customer's stream holds.
func customerEventCount(t *testing.T, world *customerWorld, customerID int64) int {
	t.Helper()
	events, err := world.store.ReadStream(context.Background(), fmt.Sprintf("customer-%d", customerID),
		eventstore.Forwards, eventstore.StreamStart(), 10_000)
	if err != nil {
		t.Fatal(err)
	}
	return len(events)
}

// assertReplay fails unless replayed is first again: status, body byte for byte, the headers that
// describe the body, and the replay marker.
func assertReplay(t *testing.T, first, replayed *httptest.ResponseRecorder) {
	t.Helper()
	if replayed.Code != first.Code || replayed.Body.String() != first.Body.String() {
		t.Fatalf("replay = %d %s\nfirst  = %d %s", replayed.Code, replayed.Body, first.Code, first.Body)
	}
	for _, name := range []string{"Content-Type", "Content-Language"} {
		if replayed.Header().Get(name) != first.Header().Get(name) {
			t.Fatalf("replayed %s = %q, first %q", name, replayed.Header().Get(name), first.Header().Get(name))
		}
	}
	if replayed.Header().Get(idempotentReplayedHeader) != "true" || first.Header().Get(idempotentReplayedHeader) != "" {
		t.Fatalf("%s: first %q, replay %q", idempotentReplayedHeader, first.Header().Get(idempotentReplayedHeader),
			replayed.Header().Get(idempotentReplayedHeader))
	}
}

// assertRan fails unless rec is a fresh run, not a replay.
func assertRan(t *testing.T, rec *httptest.ResponseRecorder, wantStatus int) {
	t.Helper()
	if rec.Code != wantStatus || rec.Header().Get(idempotentReplayedHeader) != "" {
		t.Fatalf("answer %d %s (replayed %q), want a fresh %d", rec.Code, rec.Body,
			rec.Header().Get(idempotentReplayedHeader), wantStatus)
	}
}

// crashedStore is an API instance that dies between its append and its answer being stored: it claims
// keys but never finishes nor releases them.
type crashedStore struct{ *idempotency.Store }

func (crashedStore) Finish(context.Context, idempotency.Claim, idempotency.Response) error {
	return nil
}
func (crashedStore) Abandon(context.Context, idempotency.Claim) error { return nil }
