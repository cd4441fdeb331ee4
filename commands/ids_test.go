package commands_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/idblock"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// nextIDs takes n ids from the allocator, one after the other.
func nextIDs(ctx context.Context, t *testing.T, a *commands.IDAllocator, n int) []int64 {
	t.Helper()
	ids := make([]int64, n)
	for i := range ids {
		id, err := a.Next(ctx)
		if err != nil {
			t.Fatalf("id %d: %v", i+1, err)
		}
		ids[i] = id
	}
	return ids
}

func TestIDAllocatorHandsOutIDsInBlocks(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	store := newStore(t)
	cases := []struct {
		name   string
		kind   string
		config commands.IDAllocatorConfig
		n      int
		want   []int64
		blocks int
	}{
		{"ids start at 1 and increase", "plain", commands.IDAllocatorConfig{BlockSize: 3}, 7,
			[]int64{1, 2, 3, 4, 5, 6, 7}, 3},
		{"a kind may start at a configured id", "thousands", commands.IDAllocatorConfig{BlockSize: 2, First: 1000}, 3,
			[]int64{1000, 1001, 1002}, 2},
		{"the default block serves a hundred ids with one write", "default", commands.IDAllocatorConfig{}, 100,
			nil, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// given a new allocator
			a := commands.NewIDAllocator(store, c.kind, c.config)
			// when ids are taken one after the other
			got := nextIDs(ctx, t, a, c.n)
			// then they are the wanted ones, and the counter stream holds one event per block
			if c.want != nil && !slices.Equal(got, c.want) {
				t.Errorf("ids = %v, want %v", got, c.want)
			}
			if !slices.IsSorted(got) || got[0] < 1 {
				t.Errorf("ids = %v, want positive and increasing", got)
			}
			events, err := store.ReadStream(ctx, commands.IDStreamPrefix+c.kind, eventstore.Forwards, eventstore.StreamStart(), 100)
			if err != nil {
				t.Fatalf("read counter: %v", err)
			}
			if len(events) != c.blocks {
				t.Errorf("counter stream holds %d events, want %d", len(events), c.blocks)
			}
		})
	}
}

func TestIDAllocatorsShareTheCounter(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	store := newStore(t)
	config := commands.IDAllocatorConfig{BlockSize: 10}
	// given two processes' allocators of one kind
	a := commands.NewIDAllocator(store, commands.IDKindCustomer, config)
	b := commands.NewIDAllocator(store, commands.IDKindCustomer, config)
	// when they take ids in turn, and a third one starts after a crash of the first
	got := []int64{nextIDs(ctx, t, a, 1)[0], nextIDs(ctx, t, b, 1)[0], nextIDs(ctx, t, a, 1)[0]}
	restarted := commands.NewIDAllocator(store, commands.IDKindCustomer, config)
	got = append(got, nextIDs(ctx, t, restarted, 1)[0])
	// then each holds its own block, and the crashed block's rest is skipped (a harmless gap)
	if want := []int64{1, 11, 2, 21}; !slices.Equal(got, want) {
		t.Errorf("ids = %v, want %v", got, want)
	}
	// and another kind has a counter of its own
	if id := nextIDs(ctx, t, commands.NewIDAllocator(store, commands.IDKindAddress, config), 1)[0]; id != 1 {
		t.Errorf("first address id = %d, want 1", id)
	}
}

// rivalReservationStore lets another process's allocator reserve a block right before each of the first
// `rivals` appends, so those appends lose the race.
type rivalReservationStore struct {
	eventstore.Store
	rival  func() *commands.IDAllocator
	mu     sync.Mutex
	rivals int
}

func (s *rivalReservationStore) Append(ctx context.Context, stream string, expected eventstore.ExpectedRevision, events ...eventstore.EventData) (eventstore.AppendResult, error) {
	s.mu.Lock()
	if s.rivals > 0 {
		s.rivals--
		if _, err := s.rival().Next(ctx); err != nil {
			s.mu.Unlock()
			return eventstore.AppendResult{}, err
		}
	}
	s.mu.Unlock()
	return s.Store.Append(ctx, stream, expected, events...)
}

func TestIDAllocatorRetriesReservationsLost(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	store := newStore(t)
	config := commands.IDAllocatorConfig{BlockSize: 5}
	// given a rival allocator that wins the first three reservations
	rival := func() *commands.IDAllocator { return commands.NewIDAllocator(store, "race", config) }
	racing := &rivalReservationStore{Store: store, rival: rival, rivals: 3}
	a := commands.NewIDAllocator(racing, "race", config)
	// when the allocator takes an id
	got := nextIDs(ctx, t, a, 1)[0]
	// then it reserved the block after the rival's three
	if got != 16 {
		t.Errorf("id = %d, want 16 (after the rival's blocks 1-5, 6-10, 11-15)", got)
	}
}

func TestConcurrentAllocatorsNeverHandOutAnIDTwice(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	store := newStore(t)
	// given four processes' allocators with one-id blocks, so every id is a race for the counter
	allocators := make([]*commands.IDAllocator, 4)
	for i := range allocators {
		allocators[i] = commands.NewIDAllocator(store, commands.IDKindCustomer, commands.IDAllocatorConfig{BlockSize: 1})
	}
	// when 50 ids are taken at once, spread over them
	ids := make([]int64, 50)
	errs := make([]error, 50)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() { ids[i], errs[i] = allocators[i%len(allocators)].Next(ctx) })
	}
	wg.Wait()
	// then every allocation succeeds with a positive id nobody else got
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("allocations failed: %v", err)
	}
	seen := map[int64]bool{}
	for _, id := range ids {
		if id < 1 || seen[id] {
			t.Errorf("id %d handed out twice or not positive; all: %v", id, ids)
		}
		seen[id] = true
	}
}

func TestIDAllocatorRefuses(t *testing.T) {
	t.Parallel()
	store := newStore(t)
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	cases := []struct {
		name   string
		ctx    context.Context
		kind   string
		config commands.IDAllocatorConfig
		want   error
	}{
		{"a kind-less counter", t.Context(), "", commands.IDAllocatorConfig{}, commands.ErrMissingAggregateID},
		{"a negative block size", t.Context(), "bad", commands.IDAllocatorConfig{BlockSize: -1}, idblock.ErrInvalidSize},
		{"an ended context", cancelled, "late", commands.IDAllocatorConfig{}, context.Canceled},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := commands.NewIDAllocator(store, c.kind, c.config).Next(c.ctx)
			if !errors.Is(err, c.want) {
				t.Errorf("Next = %v, want %v", err, c.want)
			}
		})
	}
}
