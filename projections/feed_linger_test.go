package projections

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestALingeringReadAheadWaitsBeforeItReadsAgain(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		linger time.Duration
	}{
		{name: "no linger reads the next page at once", linger: 0},
		{name: "a linger waits that long after a page with events", linger: 80 * time.Millisecond},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// Given a subscription that hands out two pages of one event, then fails
			sub := &pagedSubscription{pages: [][]eventstore.RecordedEvent{fakeEvents(1), fakeEvents(1)}, end: errEnded}
			ahead := newReadAhead(1, c.linger)
			go ahead.fill(testContext(t), sub)
			// When the consumer takes the first page, then the second
			if batch, _, _ := ahead.take(testContext(t)); len(batch) != 1 {
				t.Fatalf("first batch of %d events, want 1", len(batch))
			}
			began := time.Now()
			batch, _, _ := ahead.take(testContext(t))
			waited := time.Since(began)
			// Then the second page was read only after the linger (begun when the first page was added, a
			// moment before the first take returned)
			if len(batch) != 1 || waited < c.linger/2 {
				t.Fatalf("second batch of %d events after %s; want 1 after about %s", len(batch), waited, c.linger)
			}
		})
	}
}
