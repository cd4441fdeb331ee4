package postgres

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestAppendMultiLosingADeadlockLosesARace(t *testing.T) {
	t.Parallel()
	store, ctx := newTestStore(t)
	// Given two streams, and a writer outside AppendMulti's order holding b-1's next revision
	mustAppend(t, ctx, store, "a-1", eventstore.NoStream(), newEvents(1)...)
	mustAppend(t, ctx, store, "b-1", eventstore.NoStream(), newEvents(1)...)
	other, err := store.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = other.Rollback() }()
	insert := `INSERT INTO events (stream_id, revision, event_id, event_type, data, metadata)
		VALUES ($1, 1, $2, 't', '{}', '{}')`
	if _, err := other.ExecContext(ctx, insert, "b-1", uuid.New()); err != nil {
		t.Fatal(err)
	}
	// When a multi-stream append takes a-1's next revision and waits on b-1's, and the writer then asks for
	// a-1's (a deadlock: PostgreSQL aborts one of them)
	done := make(chan error, 1)
	go func() {
		_, err := store.AppendMulti(ctx, []eventstore.StreamAppend{
			{Stream: "b-1", Expected: eventstore.Exact(0), Events: newEvents(1)},
			{Stream: "a-1", Expected: eventstore.Exact(0), Events: newEvents(1)}})
		done <- err
	}()
	time.Sleep(500 * time.Millisecond)
	if _, otherErr := other.ExecContext(ctx, insert, "a-1", uuid.New()); otherErr == nil {
		if err := other.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	// Then the multi-stream append lands, or loses on an expected revision (the writer won): never a deadlock
	if err := <-done; err != nil && !errors.Is(err, eventstore.ErrWrongExpectedVersion) {
		t.Fatalf("AppendMulti failed opaquely: %v", err)
	}
}
