package commands_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/eventstore/postgres"
	"github.com/pelcro-oss/pelcro-api/internal/personaldata"
	"github.com/pelcro-oss/pelcro-api/internal/personaldata/personaldatatest"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest/migratedtest"
)

// newStore returns the PostgreSQL event store on a fresh database of the test's own.
func newStore(t *testing.T) eventstore.Store {
	t.Helper()
	return openStore(t, migratedtest.NewDatabase(t))
}

// openStore returns the PostgreSQL event store in the database at url.
func openStore(t *testing.T, url string) eventstore.Store {
	t.Helper()
	store, err := postgres.Open(t.Context(), url)
	if err != nil {
		t.Fatalf("open event store: %v", err)
	}
	t.Cleanup(func() {
		if err := store.Close(); err != nil {
			t.Errorf("close event store: %v", err)
		}
	})
	return store
}

// newSealedStore returns the PostgreSQL event store on a fresh database, sealing personal data as `pelcro
// serve` does (internal/personaldata), with its keys in the same database.
func newSealedStore(t *testing.T) eventstore.Store {
	t.Helper()
	events, err := aggregates.Merge(customer.Events, newsletter.Events)
	if err != nil {
		t.Fatal(err)
	}
	return personaldatatest.New(t, personaldatatest.Postgres,
		personaldata.Config{Subjects: commands.PersonalDataStreams, Events: events}).Store
}

// testNames keys the stream names of the tests.
var testNames = func() commands.StreamNames {
	names, err := commands.NewStreamNames([]byte("stream-naming-secret-of-the-tests-0123456789"))
	if err != nil {
		panic(err)
	}
	return names
}()

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
	if err != nil && !errors.Is(err, eventstore.ErrStreamNotFound) {
		t.Fatalf("read stream: %v", err)
	}
	return events
}

// awaitInAll reads the global order until it holds the event with the given id and returns it. The
// PostgreSQL store shows a committed event in $all only once no older transaction is still open anywhere on
// the server (its visibility fence), so an event may appear there a moment after its append returned.
func awaitInAll(ctx context.Context, t *testing.T, store eventstore.Store, id uuid.UUID) eventstore.RecordedEvent {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		all, err := store.ReadAll(ctx, eventstore.AllStart(), 1000)
		if err != nil {
			t.Fatalf("read all: %v", err)
		}
		for _, e := range all {
			if e.ID == id {
				return e
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("event %s never appeared in $all", id)
	return eventstore.RecordedEvent{}
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
