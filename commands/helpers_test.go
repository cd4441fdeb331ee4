package commands_test

import (
	"context"
	"encoding/json"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// newStore returns an empty store for one test.
func newStore(t *testing.T) eventstore.Store {
	t.Helper()
	store := newMemStore()
	t.Cleanup(func() { _ = store.Close() })
	return store
}

func envelope(commandID string) commands.Envelope {
	return commands.Envelope{CommandID: commandID, CausationID: "request-1", SiteID: "site-1", Actor: "admin:7"}
}

// openedCounter opens a new counter with the given maximum and returns its id.
func openedCounter(ctx context.Context, t *testing.T, store eventstore.Store, max int) string {
	t.Helper()
	id := uuid.NewString()
	if _, err := commands.Handle(ctx, store, counterAggregate, id, envelope("open-"+id), openCounter(max)); err != nil {
		t.Fatalf("open counter: %v", err)
	}
	return id
}

// currentCounter folds the counter's stream through the pipeline with a decision that only looks.
func currentCounter(ctx context.Context, t *testing.T, store eventstore.Store, id string) counter {
	t.Helper()
	var state counter
	look := func(s counter) ([]counterEvent, error) { state = s; return nil, nil }
	if _, err := commands.Handle(ctx, store, counterAggregate, id, envelope("look-"+uuid.NewString()), look); err != nil {
		t.Fatalf("load counter: %v", err)
	}
	return state
}

// readStream returns every event of a counter's stream, nil when it does not exist.
func readStream(ctx context.Context, t *testing.T, store eventstore.Store, id string) []eventstore.RecordedEvent {
	t.Helper()
	events, err := store.ReadStream(ctx, counterAggregate.StreamPrefix+id, eventstore.Forwards, eventstore.StreamStart(), 10_000)
	if err != nil && err != eventstore.ErrStreamNotFound {
		t.Fatalf("read stream: %v", err)
	}
	return events
}

// incrementedData is a stored counter.incremented event of schema version 2, written outside the pipeline.
func incrementedData(t *testing.T, by int) eventstore.EventData {
	t.Helper()
	data, err := json.Marshal(counterIncremented{By: by})
	if err != nil {
		t.Fatal(err)
	}
	return eventstore.EventData{ID: uuid.New(), Type: "counter.incremented", Data: data,
		Metadata: []byte(`{"schema_version":2}`)}
}

// rivalStore lets a rival writer increment the stream right before each of the pipeline's appends, so
// every attempt loses the race. afterAppend, when set, runs after each of the pipeline's appends.
type rivalStore struct {
	eventstore.Store
	t           *testing.T
	attempts    atomic.Int32
	afterAppend func()
}

func (s *rivalStore) Append(ctx context.Context, stream string, expected eventstore.ExpectedRevision, events ...eventstore.EventData) (eventstore.AppendResult, error) {
	s.attempts.Add(1)
	if _, err := s.Store.Append(ctx, stream, eventstore.Any(), incrementedData(s.t, 1)); err != nil {
		return eventstore.AppendResult{}, err
	}
	res, err := s.Store.Append(ctx, stream, expected, events...)
	if s.afterAppend != nil {
		s.afterAppend()
	}
	return res, err
}

// lostAckStore writes the pipeline's first append but answers it with failure, as when the connection drops
// after the commit: the events are in the store, the caller does not know.
type lostAckStore struct {
	eventstore.Store
	failure error
	lost    atomic.Bool
}

func (s *lostAckStore) Append(ctx context.Context, stream string, expected eventstore.ExpectedRevision, events ...eventstore.EventData) (eventstore.AppendResult, error) {
	res, err := s.Store.Append(ctx, stream, expected, events...)
	if err == nil && s.lost.CompareAndSwap(false, true) {
		return eventstore.AppendResult{}, s.failure
	}
	return res, err
}
