package projections

import (
	"errors"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestTrackerWakesOnlyTheWaitersItsCheckpointReached(t *testing.T) {
	t.Parallel()
	at := func(commit uint64) eventstore.Position { return eventstore.Position{Commit: commit, Prepare: 1} }
	cases := []struct {
		name    string
		change  func(*tracker)
		waiting []uint64 // the positions waited for, by commit
		woken   []bool   // which waiters the change wakes, in the same order
	}{
		{"a commit wakes the waiters at or below it", func(tr *tracker) { tr.advanced(at(7), time.Now(), 1, nil) },
			[]uint64{5, 7, 10}, []bool{true, true, false}},
		{"an event being handled wakes nobody", func(tr *tracker) { tr.handling(time.Now()) },
			[]uint64{5, 10}, []bool{false, false}},
		{"a change of state wakes everybody", func(tr *tracker) { tr.stopped(errors.New("boom"), Stop{}) },
			[]uint64{5, 10}, []bool{true, true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// given a running tracker at position 1 and waiters further on
			tr := newTracker("counts.v1")
			tr.started(&eventstore.Position{Commit: 1, Prepare: 1})
			type waiter struct {
				arrived, changed <-chan struct{}
			}
			var waiters []waiter
			for _, commit := range c.waiting {
				view, arrived, forget := tr.await(at(commit))
				defer forget()
				if arrived == nil {
					t.Fatalf("waiter for %d: already reached at position 1", commit)
				}
				waiters = append(waiters, waiter{arrived, view.changed})
			}

			// when the tracker changes
			c.change(tr)

			// then exactly the expected waiters wake
			for i, w := range waiters {
				woken := false
				select {
				case <-w.arrived:
					woken = true
				case <-w.changed:
					woken = true
				default:
				}
				if woken != c.woken[i] {
					t.Errorf("waiter for %d woken = %v, want %v", c.waiting[i], woken, c.woken[i])
				}
			}
		})
	}
}

func TestTrackerAwaitOfAReachedPositionNeedsNoWait(t *testing.T) {
	t.Parallel()
	// given a tracker whose checkpoint is at 7
	tr := newTracker("counts.v1")
	tr.advanced(eventstore.Position{Commit: 7, Prepare: 1}, time.Now(), 1, nil)

	// when a waiter asks for 7 and for something before it, then neither waits
	for _, pos := range []eventstore.Position{{Commit: 7, Prepare: 1}, {Commit: 3, Prepare: 9}} {
		if _, arrived, _ := tr.await(pos); arrived != nil {
			t.Errorf("await(%s) waits, want reached", pos)
		}
	}
	// and a waiter that gives up leaves nothing behind
	_, _, forget := tr.await(eventstore.Position{Commit: 8, Prepare: 1})
	forget()
	if n := len(tr.arrivals); n != 0 {
		t.Errorf("%d waiters left after forget, want 0", n)
	}
}
