package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// renewalPaid is a caller's two-stream append as the billing run makes it: one event on an invoice stream
// that holds one, one on a subscription stream that holds one.
func renewalPaid(t *testing.T, ctx context.Context, store *Store, n int) []eventstore.StreamAppend {
	t.Helper()
	invoice, sub := fmt.Sprintf("invoice-%d", n), fmt.Sprintf("subscription-%d", n)
	mustAppend(t, ctx, store, invoice, eventstore.NoStream(), newEvents(1)...)
	mustAppend(t, ctx, store, sub, eventstore.NoStream(), newEvents(1)...)
	return []eventstore.StreamAppend{{Stream: invoice, Expected: eventstore.Exact(0), Events: newEvents(1)},
		{Stream: sub, Expected: eventstore.Exact(0), Events: newEvents(1)}}
}

// groupQueued starts one AppendMulti that stays in flight (its new stream's first revision is held by an
// uncommitted insert of another transaction), then calls, one after another, each of calls, each once it
// sees the previous one queued behind it. It releases the held revision (the blocking transaction rolls
// back) once all are queued, and returns each call's answer, in order, the one in flight's first.
// The statement in flight keeps the lead however long it waits (patience), so that the calls all queue.
func groupQueued(t *testing.T, ctx context.Context, store *Store, calls ...func() ([]eventstore.AppendResult, error)) []error {
	t.Helper()
	store.group.Patience = time.Hour
	blocker, inFlight := heldStream(t, ctx, store)
	errs := make([]error, len(calls)+1)
	done := make(chan struct{}, len(calls)+1)
	for i, call := range append([]func() ([]eventstore.AppendResult, error){inFlight}, calls...) {
		go func() {
			_, errs[i] = call()
			done <- struct{}{}
		}()
		waitQueued(t, store, i)
	}
	if err := blocker.Rollback(); err != nil {
		t.Fatal(err)
	}
	for range len(calls) + 1 {
		<-done
	}
	return errs
}

// heldStream begins a transaction that holds the first revision of stream held-1 (an uncommitted insert),
// and returns it with a multi-stream append to held-1 that waits on it until it ends.
func heldStream(t *testing.T, ctx context.Context, store *Store) (*sql.Tx, func() ([]eventstore.AppendResult, error)) {
	t.Helper()
	blocker, err := store.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = blocker.Rollback() })
	if _, err := blocker.ExecContext(ctx, `INSERT INTO events (stream_id, revision, event_id, event_type)
		VALUES ('held-1', 0, $1, 'test.held')`, uuid.New()); err != nil {
		t.Fatal(err)
	}
	return blocker, func() ([]eventstore.AppendResult, error) {
		return store.AppendMulti(ctx, []eventstore.StreamAppend{{Stream: "held-1", Expected: eventstore.NoStream(),
			Events: newEvents(1)}})
	}
}

// waitQueued waits until n calls queue behind the shared statement in flight.
func waitQueued(t *testing.T, store *Store, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		queued, leading := store.group.Queued()
		if leading && queued == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d calls queued, want %d", queued, n)
		}
	}
}

// mustRead reads a whole stream.
func mustRead(t *testing.T, store *Store, stream string) []eventstore.RecordedEvent {
	t.Helper()
	got, err := store.ReadStream(t.Context(), stream, eventstore.Forwards, eventstore.StreamStart(), 100)
	if err != nil {
		t.Fatal(err)
	}
	return got
}
