package postgres

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// runWriters runs n writers at once and fails the test with the first error any returns.
func runWriters(t *testing.T, n int, write func(writer int) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for w := range n {
		wg.Go(func() { errs <- write(w) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestConcurrentWritersOnDistinctStreamsAllSucceedInOrder(t *testing.T) {
	t.Parallel()
	store, ctx := newTestStore(t)
	sub, err := store.SubscribeAll(ctx, eventstore.AllStart(), eventstore.Filter{})
	if err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	defer sub.Close()
	// Given eight writers, each appending twenty times to its own stream at the exact revision,
	const writers, appends = 8, 20
	runWriters(t, writers, func(w int) error {
		stream := fmt.Sprintf("customer-%d", w)
		expected := eventstore.NoStream()
		for i := range appends {
			res, err := store.Append(ctx, stream, expected, newEvents(1)...)
			if err != nil {
				return fmt.Errorf("writer %d append %d: %w", w, i, err)
			}
			expected = eventstore.Exact(res.NextRevision)
		}
		return nil
	})
	// Then no append conflicted, and the subscriber saw every event once, positions rising and each stream
	// in revision order.
	got := recvEvents(t, ctx, sub, writers*appends)
	next := map[string]uint64{}
	for i, e := range got {
		if i > 0 && e.Position.Compare(got[i-1].Position) <= 0 {
			t.Fatalf("event %d at %s does not follow %s", i, e.Position, got[i-1].Position)
		}
		if e.Revision != next[e.StreamID] {
			t.Fatalf("%s: got revision %d, want %d", e.StreamID, e.Revision, next[e.StreamID])
		}
		next[e.StreamID]++
	}
}

func TestConcurrentWritersOnOneStream(t *testing.T) {
	t.Parallel()
	store, ctx := newTestStore(t)
	const writers = 8
	t.Run("expecting no stream, exactly one wins", func(t *testing.T) {
		t.Parallel()
		// Given eight writers creating the same stream at once,
		var mu sync.Mutex
		wins := 0
		runWriters(t, writers, func(w int) error {
			_, err := store.Append(ctx, "reservation-email", eventstore.NoStream(), newEvents(2)...)
			var wrong *eventstore.WrongExpectedVersionError
			switch {
			case err == nil:
				mu.Lock()
				wins++
				mu.Unlock()
				return nil
			case errors.As(err, &wrong) && wrong.Actual != nil && *wrong.Actual == 1:
				return nil
			}
			return fmt.Errorf("writer %d: %v, want success or wrong expected version at revision 1", w, err)
		})
		// then one succeeds and every other is told the stream's actual revision.
		if wins != 1 {
			t.Fatalf("%d writers won, want 1", wins)
		}
	})
	t.Run("expecting any, every append lands once", func(t *testing.T) {
		t.Parallel()
		// Given eight writers appending ten times each to the same stream with Any,
		const appends = 10
		runWriters(t, writers, func(w int) error {
			for i := range appends {
				if _, err := store.Append(ctx, "counter-1", eventstore.Any(), newEvents(1)...); err != nil {
					return fmt.Errorf("writer %d append %d: %w", w, i, err)
				}
			}
			return nil
		})
		// then the stream holds all eighty events at revisions 0..79.
		got, err := store.ReadStream(ctx, "counter-1", eventstore.Forwards, eventstore.StreamStart(), 1000)
		if err != nil || len(got) != writers*appends {
			t.Fatalf("stream holds %d events (%v), want %d", len(got), err, writers*appends)
		}
		for i, e := range got {
			if e.Revision != uint64(i) {
				t.Fatalf("event %d has revision %d", i, e.Revision)
			}
		}
	})
}
