package commands_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// readCounter counts the events ReadStream hands out (what a command had to fold), the calls (reads) and
// the Append calls (appends).
type readCounter struct {
	eventstore.Store
	events, reads, appends atomic.Int64
}

func (r *readCounter) Append(ctx context.Context, stream string, expected eventstore.ExpectedRevision,
	events ...eventstore.EventData) (eventstore.AppendResult, error) {
	r.appends.Add(1)
	return r.Store.Append(ctx, stream, expected, events...)
}

func (r *readCounter) ReadStream(ctx context.Context, stream string, direction eventstore.Direction,
	from eventstore.StreamFrom, limit int) ([]eventstore.RecordedEvent, error) {
	events, err := r.Store.ReadStream(ctx, stream, direction, from, limit)
	r.reads.Add(1)
	r.events.Add(int64(len(events)))
	return events, err
}

// incremented opens a counter and increments it n times through the pipeline.
func incremented(ctx context.Context, t *testing.T, store eventstore.Store, n int) string {
	t.Helper()
	id := openedCounter(ctx, t, store, 1_000_000)
	for i := range n {
		if _, err := commands.Handle(ctx, store, counterAggregate, id, envelope(fmt.Sprintf("inc-%d", i)), increment(1)); err != nil {
			t.Fatalf("increment %d: %v", i, err)
		}
	}
	return id
}

func TestACommandReadsOnlyTheTailOfAStreamThisProcessFolded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := &readCounter{Store: newStore(t)}
	// Given a counter with a long history, folded by this process's earlier commands,
	id := incremented(ctx, t, store, 600)
	// and three events another process appended since,
	stream := counterAggregate.StreamPrefix + id
	for i := range 3 {
		data := []eventstore.EventData{{ID: commands.EventID(stream, fmt.Sprintf("elsewhere-%d", i), 0),
			Type: "counter.incremented", Data: []byte(`{"by":10}`), Metadata: []byte(`{"schema_version":2}`)}}
		if _, err := store.Store.Append(ctx, stream, eventstore.Any(), data...); err != nil {
			t.Fatalf("append elsewhere: %v", err)
		}
	}
	store.events.Store(0)

	// When one more command runs,
	if _, err := commands.Handle(ctx, store, counterAggregate, id, envelope("one-more"), increment(1)); err != nil {
		t.Fatalf("Handle: %v", err)
	}

	// then it folded the last event it knew and the three new ones, not the 604 before,
	if n := store.events.Load(); n != 4 {
		t.Fatalf("the command read %d events, want 4 (the cached last one and the 3 new)", n)
	}
	// and decided on the whole history: 600 + 3×10 + 1.
	if got := currentCounter(ctx, t, store, id).value; got != 631 {
		t.Fatalf("counter = %d, want 631", got)
	}
}

func TestACachedStateStillLosesTheRaceToAConcurrentWriter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// Given a counter this process has folded (its state is cached),
	base := newStore(t)
	store := &interposingStore{Store: base, t: t}
	id := incremented(ctx, t, store, 5)
	// when another writer appends between the command's read and its append, once,
	store.armed.Store(true)
	store.attempts.Store(0)
	if _, err := commands.Handle(ctx, store, counterAggregate, id, envelope("mine"), increment(1)); err != nil {
		t.Fatalf("Handle: %v", err)
	}
	rival := store
	// then the command's first append was refused, it decided again on the rival's event, and both landed.
	if n := rival.attempts.Load(); n != 2 {
		t.Fatalf("append attempted %d times, want 2", n)
	}
	if got := currentCounter(ctx, t, base, id).value; got != 5+1+1 {
		t.Fatalf("counter = %d, want 7 (5, the rival's 1 and ours)", got)
	}
}

// interposingStore lets a rival writer append to the stream just before the next append, once it is armed.
type interposingStore struct {
	eventstore.Store
	t        *testing.T
	armed    atomic.Bool
	attempts atomic.Int32
}

func (s *interposingStore) Append(ctx context.Context, stream string, expected eventstore.ExpectedRevision,
	events ...eventstore.EventData) (eventstore.AppendResult, error) {
	s.attempts.Add(1)
	if s.armed.CompareAndSwap(true, false) {
		if _, err := s.Store.Append(ctx, stream, eventstore.Any(), incrementedData(s.t, 1)); err != nil {
			return eventstore.AppendResult{}, err
		}
	}
	return s.Store.Append(ctx, stream, expected, events...)
}

func TestACommandThatLandedIsRecognisedFromTheCachedState(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := newStore(t)
	id := incremented(ctx, t, base, 0)
	// Given a command that landed, and more commands after it, all folded by this process,
	first, err := commands.Handle(ctx, base, counterAggregate, id, envelope("landed"), increment(1))
	if err != nil {
		t.Fatalf("Handle: %v", err)
	}
	for i := range 10 {
		if _, err := commands.Handle(ctx, base, counterAggregate, id, envelope(fmt.Sprintf("later-%d", i)), increment(1)); err != nil {
			t.Fatalf("later command: %v", err)
		}
	}
	// when it is sent again,
	again, err := commands.Handle(ctx, base, counterAggregate, id, envelope("landed"), increment(1))
	// then it answers where its event stands and writes nothing.
	if err != nil || again != first {
		t.Fatalf("retry = %+v, %v; want the first result %+v", again, err, first)
	}
	if got := currentCounter(ctx, t, base, id).value; got != 11 {
		t.Fatalf("counter = %d, want 11", got)
	}
}
