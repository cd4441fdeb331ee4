package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
)

// testTimeout bounds every test so a broken subscription fails instead of hanging the binary.
const testTimeout = 60 * time.Second

// newTestStore opens a Store on a fresh database of its own, closed when the test ends.
func newTestStore(t testing.TB, opts ...Option) (*Store, context.Context) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	t.Cleanup(cancel)
	store, err := Open(ctx, pgtest.NewDatabase(t), opts...)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		if err := store.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return store, ctx
}

// newEvents returns n events with fresh ids; the payload names the event's index.
func newEvents(n int) []eventstore.EventData {
	events := make([]eventstore.EventData, n)
	for i := range events {
		events[i] = eventstore.EventData{
			ID:       uuid.New(),
			Type:     "test.happened",
			Data:     fmt.Appendf(nil, `{"index": %d}`, i),
			Metadata: []byte(`{"source": "test"}`),
		}
	}
	return events
}

// mustAppend appends and fails the test on error.
func mustAppend(t *testing.T, ctx context.Context, s *Store, stream string, expected eventstore.ExpectedRevision, events ...eventstore.EventData) eventstore.AppendResult {
	t.Helper()
	res, err := s.Append(ctx, stream, expected, events...)
	if err != nil {
		t.Fatalf("append %d events to %s: %v", len(events), stream, err)
	}
	return res
}

// slowAppend appends like Store.Append but keeps its transaction open for hold before committing, so tests
// can show that a writer committing late is never skipped. It is the contract suite's SlowAppend.
func slowAppend(ctx context.Context, es eventstore.Store, stream string, expected eventstore.ExpectedRevision, hold time.Duration, events ...eventstore.EventData) (eventstore.AppendResult, error) {
	s, ok := es.(*Store)
	if !ok {
		return eventstore.AppendResult{}, fmt.Errorf("slow append: %T is not a postgres store", es)
	}
	res, err := retryRaces(func(fastPath bool) (eventstore.AppendResult, error) {
		return appendHolding(ctx, s, stream, expected, hold, events, fastPath)
	})
	if err == nil {
		s.committed()
	}
	return res, err
}

// appendHolding is one attempt of slowAppend: the append, the hold, the commit, all in one transaction.
func appendHolding(ctx context.Context, s *Store, stream string, expected eventstore.ExpectedRevision, hold time.Duration, events []eventstore.EventData, fastPath bool) (eventstore.AppendResult, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return eventstore.AppendResult{}, err
	}
	inTx := func(ctx context.Context, query string) (*sql.Stmt, error) {
		stmt, err := s.stmts.get(ctx, query)
		if err != nil {
			return nil, err
		}
		return tx.StmtContext(ctx, stmt), nil
	}
	res, err := appendWith(ctx, inTx, stream, expected, events, fastPath)
	if err != nil {
		return res, errors.Join(err, tx.Rollback())
	}
	select {
	case <-time.After(hold):
	case <-ctx.Done():
		return res, errors.Join(ctx.Err(), tx.Rollback())
	}
	return res, tx.Commit()
}

// recvEvents receives n events from sub, skipping the CaughtUp signal, and fails on anything else.
func recvEvents(t *testing.T, ctx context.Context, sub eventstore.Subscription, n int) []eventstore.RecordedEvent {
	t.Helper()
	var got []eventstore.RecordedEvent
	for len(got) < n {
		msg, err := sub.Recv(ctx)
		if err != nil {
			t.Fatalf("recv after %d of %d events: %v", len(got), n, err)
		}
		if msg.Event != nil {
			got = append(got, *msg.Event)
		}
	}
	return got
}

// requireIDs fails unless got holds exactly the ids of want, in order.
func requireIDs(t *testing.T, what string, got []eventstore.RecordedEvent, want []eventstore.EventData) {
	t.Helper()
	gotIDs := make([]uuid.UUID, len(got))
	for i, e := range got {
		gotIDs[i] = e.ID
	}
	wantIDs := make([]uuid.UUID, len(want))
	for i, e := range want {
		wantIDs[i] = e.ID
	}
	if fmt.Sprint(gotIDs) != fmt.Sprint(wantIDs) {
		t.Fatalf("%s: got %v, want %v", what, gotIDs, wantIDs)
	}
}
