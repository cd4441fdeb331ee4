package projections

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestAReadAheadLingersAfterLivePagesOnly(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		linger time.Duration
		// waits are the events read so far each time the read ahead waited
		waits []int
	}{
		{name: "no linger never waits", linger: 0},
		{name: "a linger waits after each live page, never while catching up", linger: time.Minute,
			waits: []int{3, 4}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// Given a subscription that hands out two history pages, the catch-up signal, two live pages, then
			// fails
			sub := &pagedSubscription{pages: [][]eventstore.RecordedEvent{fakeEvents(1), fakeEvents(1), nil,
				fakeEvents(1), fakeEvents(1)}, end: errEnded}
			ahead := newReadAhead(10, c.linger)
			var waits []int
			ahead.pause = func(_ context.Context, d time.Duration) bool {
				if d != c.linger {
					t.Errorf("waited %s, want the linger %s", d, c.linger)
				}
				ahead.mu.Lock()
				waits = append(waits, len(ahead.events))
				ahead.mu.Unlock()
				return true
			}
			// When it reads everything
			ahead.fill(testContext(t), sub)
			// Then it waited the linger after each live page only, and held every event
			if !slices.Equal(waits, c.waits) || len(ahead.events) != 4 {
				t.Errorf("waited after %v events, holds %d; want after %v, holds 4", waits, len(ahead.events), c.waits)
			}
		})
	}
}
