package commands

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/pelcro-oss/pelcro-api/aggregates/idblock"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// The kinds of integer public ids. Warning: a kind names its counter stream (IDStreamPrefix + kind);
// renaming one restarts its counter and hands out ids a second time.
const (
	IDKindCustomer = "customer"
	IDKindAddress  = "address"
)

// IDStreamPrefix starts the name of every id counter stream ("ids-customer"). Warning: a stored format.
const IDStreamPrefix = "ids-"

// DefaultIDBlockSize is how many ids an allocator reserves at once when not told otherwise.
const DefaultIDBlockSize = 100

// maxIDAttempts bounds the reservations of one block lost to other allocators. A counter is a hot stream
// by design (every process writes it), so far more attempts than MaxAttempts are reasonable; each lost
// attempt means another allocator got a block, so the system as a whole always progresses.
const maxIDAttempts = 100

// idRetryCeiling caps the random pause before a retried reservation, so many attempts stay a few seconds.
const idRetryCeiling = 40 * time.Millisecond

// IDAllocatorConfig tunes an IDAllocator; the zero value gives blocks of DefaultIDBlockSize starting at 1.
type IDAllocatorConfig struct {
	// BlockSize is how many ids one reservation takes. Larger blocks write the counter less often and lose
	// more ids to a crash.
	BlockSize int64
	// First is the least id of the kind (e.g. 1000 so customer ids have four digits). Raising it later is
	// safe (the counter skips ahead); lowering it has no effect once ids above it were handed out.
	First int64
	// Now is the clock stamped on reservations; nil means time.Now.
	Now func() time.Time
}

// IDAllocator hands out the integer public ids of one kind (hi/lo allocation): it reserves a block of ids
// by appending to the kind's counter stream with the revision it read, retrying with jitter when another
// allocator got there first, then hands the block's ids out from memory.
//
// Ids are positive, unique across every allocator and process sharing the store, and increase within one
// allocator. They are not gapless: the unused rest of a block is lost when the process stops or crashes,
// and two allocators interleave their blocks, so ids across processes are not in creation order. Nothing
// may rely on ids being dense or ordered in time.
//
// An IDAllocator is safe for concurrent use; create one per kind per process with NewIDAllocator.
type IDAllocator struct {
	store  eventstore.Store
	kind   string
	config IDAllocatorConfig

	mu sync.Mutex
	// next..last are the ids of the current block not handed out yet; none when next > last.
	next, last int64
}

// NewIDAllocator returns an allocator of ids of the given kind (IDKindCustomer, IDKindAddress…) backed by
// store. It reserves nothing until the first Next.
func NewIDAllocator(store eventstore.Store, kind string, config IDAllocatorConfig) *IDAllocator {
	if config.BlockSize == 0 {
		config.BlockSize = DefaultIDBlockSize
	}
	if config.Now == nil {
		config.Now = time.Now
	}
	return &IDAllocator{store: store, kind: kind, config: config, next: 1, last: 0}
}

// Next returns a new id. It writes to the store only when the current block is used up; callers wait for
// that one reservation instead of each reserving their own.
func (a *IDAllocator) Next(ctx context.Context) (int64, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.next > a.last {
		block, err := a.reserve(ctx)
		if err != nil {
			return 0, err
		}
		a.next, a.last = block.First, block.Last
	}
	id := a.next
	a.next++
	return id, nil
}

// reserve appends the next block to the counter stream, reloading and retrying while other allocators win.
func (a *IDAllocator) reserve(ctx context.Context) (idblock.Reserved, error) {
	if a.kind == "" {
		return idblock.Reserved{}, ErrMissingAggregateID
	}
	stream := IDStreamPrefix + a.kind
	env := Envelope{CommandID: uuid.NewString(), Actor: "system:ids"}
	var conflict error
	for attempt := range maxIDAttempts {
		if attempt > 0 {
			if err := sleep(ctx, rand.N(min(idRetryCeiling, retryBackoff<<(min(attempt, 4)-1)))); err != nil {
				return idblock.Reserved{}, fmt.Errorf("commands: %s: waiting to retry after %v: %w", stream, conflict, err)
			}
		}
		block, err := a.reserveOnce(ctx, stream, env)
		if !errors.Is(err, eventstore.ErrWrongExpectedVersion) {
			return block, err
		}
		conflict = err
	}
	return idblock.Reserved{}, fmt.Errorf("commands: %s: gave up after %d reservations lost to other allocators: %w",
		stream, maxIDAttempts, conflict)
}

// reserveOnce reads the counter from the stream's last event alone (see idblock.Evolve), decides the next
// block and appends it expecting the revision read. A lost race comes back as the store's
// *WrongExpectedVersionError.
func (a *IDAllocator) reserveOnce(ctx context.Context, stream string, env Envelope) (idblock.Reserved, error) {
	var state idblock.State
	expected := eventstore.NoStream()
	last, err := a.store.ReadStream(ctx, stream, eventstore.Backwards, eventstore.StreamEnd(), 1)
	switch {
	case errors.Is(err, eventstore.ErrStreamNotFound):
	case err != nil:
		return idblock.Reserved{}, fmt.Errorf("commands: read %s: %w", stream, err)
	case len(last) == 1:
		event, err := decode[idblock.Event](idblock.Events, last[0])
		if err != nil {
			return idblock.Reserved{}, err
		}
		state, expected = idblock.Evolve(state, event), eventstore.Exact(last[0].Revision)
	}
	events, err := idblock.Reserve(state, a.config.BlockSize, a.config.First, a.config.Now().UTC())
	if err != nil {
		return idblock.Reserved{}, fmt.Errorf("commands: %s: %w", stream, err)
	}
	data, err := toEventData(idblock.Events, stream, env, events)
	if err != nil {
		return idblock.Reserved{}, err
	}
	if _, err := a.store.Append(ctx, stream, expected, data...); err != nil {
		if errors.Is(err, eventstore.ErrWrongExpectedVersion) {
			return idblock.Reserved{}, err
		}
		return idblock.Reserved{}, fmt.Errorf("commands: append to %s: %w", stream, err)
	}
	return events[0].(idblock.Reserved), nil
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
