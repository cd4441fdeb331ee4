package projections

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// fixedUrgency is an Urgency whose waiter never comes or goes.
type fixedUrgency struct {
	waited bool
	hurry  chan struct{}
}

func (u fixedUrgency) Waited() bool             { return u.waited }
func (u fixedUrgency) Hurried() <-chan struct{} { return u.hurry }

func TestAReadAheadLingersAfterLivePagesOfProjectionsNobodyWaitsFor(t *testing.T) {
	t.Parallel()
	nobodyWaits := fixedUrgency{hurry: make(chan struct{})}
	cases := []struct {
		name    string
		linger  time.Duration
		urgency Urgency
		// waits are the events read so far each time the read ahead waited
		waits []int
		hurry <-chan struct{} // the channel each wait must end on besides its timer
	}{
		{name: "no linger never waits", linger: 0},
		{name: "a linger waits after each live page, never while catching up", linger: time.Minute,
			waits: []int{3, 4}},
		{name: "a projection nobody waits for lingers until someone starts to", linger: time.Minute,
			urgency: nobodyWaits, waits: []int{3, 4}, hurry: nobodyWaits.hurry},
		{name: "a projection someone waits for never lingers", linger: time.Minute,
			urgency: fixedUrgency{waited: true, hurry: make(chan struct{})}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// Given a subscription that hands out two history pages, the catch-up signal, two live pages, then
			// fails
			sub := &pagedSubscription{pages: [][]eventstore.RecordedEvent{fakeEvents(1), fakeEvents(1), nil,
				fakeEvents(1), fakeEvents(1)}, end: errEnded}
			ahead := newReadAhead(10, c.linger, c.urgency)
			var waits []int
			ahead.pause = func(_ context.Context, d time.Duration, hurry <-chan struct{}) bool {
				if d != c.linger || hurry != c.hurry {
					t.Errorf("waited %s or until %v, want the linger %s or until %v", d, hurry, c.linger, c.hurry)
				}
				ahead.mu.Lock()
				waits = append(waits, len(ahead.events))
				ahead.mu.Unlock()
				return true
			}
			// When it reads everything
			ahead.fill(testContext(t), sub)
			// Then it waited the linger after each live page only (when it waited at all), and held every event
			if !slices.Equal(waits, c.waits) || len(ahead.events) != 4 {
				t.Errorf("waited after %v events, holds %d; want after %v, holds 4", waits, len(ahead.events), c.waits)
			}
		})
	}
}

func TestALingerEndsWhenSomeoneStartsWaiting(t *testing.T) {
	t.Parallel()
	// Given a projection nobody waits for, lingering for an hour
	tr := newTracker("p")
	ended := make(chan lingerEnd, 1)
	go func() { ended <- lingerUntil(testContext(t), time.Hour, tr.Hurried()) }()
	// When a caller starts waiting for a position it has not reached
	_, arrived, forget := tr.await(eventstore.Position{Commit: 9, Prepare: 9})
	if arrived == nil || !tr.Waited() {
		t.Fatal("the caller does not wait for a position the projection has not reached")
	}
	// Then the linger ends at once, hurried, and nobody waits once the caller gives up
	select {
	case end := <-ended:
		if end != lingerHurried {
			t.Errorf("the linger ended by %d, want hurried (%d)", end, lingerHurried)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the linger went on while a caller waited")
	}
	forget()
	if tr.Waited() {
		t.Error("the projection is still waited for after the caller gave up")
	}
}

func TestALingerEndsWithItsContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(testContext(t))
	cancel()
	if end := lingerUntil(ctx, time.Hour, nil); end != lingerCancelled || lingerFor(ctx, time.Hour, nil) {
		t.Errorf("a linger whose context ended ended by %d, want cancelled (%d), and reports it lingered",
			end, lingerCancelled)
	}
}

func TestAHurryLeftFromAnEndedWaitDoesNotCutTheNextLingerShort(t *testing.T) {
	t.Parallel()
	// Given a projection nobody waits for now, whose hurry still holds the signal of a wait that is over
	stale := fixedUrgency{hurry: make(chan struct{}, 1)}
	stale.hurry <- struct{}{}
	ahead := newReadAhead(10, time.Minute, stale)
	paused := false
	ahead.pause = func(_ context.Context, _ time.Duration, hurry <-chan struct{}) bool {
		paused = true
		if len(hurry) != 0 {
			t.Error("the linger starts with the old signal, which would end it at once")
		}
		return true
	}
	// When the feed lingers
	if !ahead.lingerOut(testContext(t)) || !paused {
		t.Fatal("the feed did not linger")
	}
}

// signalledOnCheck is an Urgency whose waiter registers while the feed asks whether anyone waits: it signals
// hurry and reports nobody yet, as a waiter that registers between the feed's drop of old signals and its
// check does.
type signalledOnCheck struct{ hurry chan struct{} }

func (u signalledOnCheck) Waited() bool {
	u.hurry <- struct{}{}
	return false
}
func (u signalledOnCheck) Hurried() <-chan struct{} { return u.hurry }

func TestAWaitThatStartsAsTheFeedChecksStillEndsItsLinger(t *testing.T) {
	t.Parallel()
	// Given a projection whose first waiter registers while the feed checks for waiters
	u := signalledOnCheck{hurry: make(chan struct{}, 1)}
	ahead := newReadAhead(10, time.Minute, u)
	ahead.pause = func(_ context.Context, _ time.Duration, hurry <-chan struct{}) bool {
		// Then the linger starts with that waiter's signal, which ends it at once
		if len(hurry) != 1 {
			t.Error("the waiter's signal was dropped: the answer would wait a whole linger")
		}
		return true
	}
	// When the feed lingers
	ahead.lingerOut(testContext(t))
}

func TestEveryLingeringFeedWakesAtTheSameInstants(t *testing.T) {
	t.Parallel()
	const d = 5 * time.Millisecond
	tick := time.Date(2026, 12, 6, 19, 0, 0, 0, time.UTC) // a multiple of d
	cases := []struct {
		name string
		now  time.Time
		want time.Duration
	}{
		{"on a multiple, the next one", tick, d},
		{"just after a multiple, almost all of it", tick.Add(time.Microsecond), d - time.Microsecond},
		{"just before a multiple, almost nothing", tick.Add(d - time.Microsecond), time.Microsecond},
		{"between two multiples, until the next", tick.Add(3 * time.Millisecond), 2 * time.Millisecond},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := untilNextMultiple(c.now, d); got != c.want {
				t.Errorf("wait %s after %s, want %s", got, c.now.Format(time.RFC3339Nano), c.want)
			}
		})
	}
}
