package projections

import (
	"context"
	"sync"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// readAhead holds what a subscription read while the consumer applied the batch in flight: the events, where
// the CaughtUp signal fell among them, and the error that ended the reading, if one came. It holds at most
// max events; beyond them the subscription's own buffer (one page) is all that is read ahead.
//
// Reading ahead overlaps the two halves of a projection's delivery: while the consumer applies one batch in
// its transaction, the subscription already waits for news and reads the next page, instead of starting
// only when the batch is acknowledged. Nothing read ahead is acknowledged before it is delivered, so a
// resubscription still starts after the last acknowledged event.
//
// Each page the subscription holds is added in one step (Recv, then TryRecv for the rest of it), so the
// consumer takes whole pages: it never takes the first events of a page while the rest is still being handed
// over, which left the rest waiting a whole transaction for the next batch.
type readAhead struct {
	max int
	// linger is how long, at most, fill waits once the feed is live (past the subscription's CaughtUp
	// signal), after a receive that brought events, before it receives again: until the clock's next
	// multiple of linger (see lingerFor and SubscriberConfig.Linger). A feed catching up never waits: a
	// backlog is read page after page at full speed.
	linger time.Duration
	// urgency, when set, says whether someone waits for the projection fed (see Urgency): fill never lingers
	// then, and a linger under way ends when someone starts waiting.
	urgency Urgency
	// pause is how fill waits out linger (lingerFor; a test's own, to see the waits).
	pause func(ctx context.Context, d time.Duration, hurry <-chan struct{}) bool

	mu     sync.Mutex
	events []eventstore.RecordedEvent
	// caughtUpAt is how many of events come before the CaughtUp signal (a subscription sends one); -1 when
	// none is held.
	caughtUpAt int
	err        error         // reading ended with err after events
	ready      chan struct{} // signalled when something was added
	room       chan struct{} // signalled when the consumer took something
}

func newReadAhead(max int, linger time.Duration, urgency Urgency) *readAhead {
	return &readAhead{max: max, linger: linger, urgency: urgency, pause: lingerFor, caughtUpAt: -1,
		ready: make(chan struct{}, 1), room: make(chan struct{}, 1)}
}

// fill receives from sub until a receive fails (the error is kept last) or ctx ends.
func (r *readAhead) fill(ctx context.Context, sub eventstore.Subscription) {
	live := false // the CaughtUp signal came: what follows was appended after the subscription began
	for {
		room, ok := r.waitForRoom(ctx)
		if !ok {
			return
		}
		var events []eventstore.RecordedEvent
		msg, err := sub.Recv(ctx)
		for err == nil && msg.Event != nil { // the rest of the page, as far as there is room
			events = append(events, *msg.Event)
			if len(events) == room {
				break
			}
			var held bool
			if msg, held, err = sub.TryRecv(ctx); !held {
				break // msg is empty; err is set when the subscription ended
			}
		}
		if err != nil && ctx.Err() != nil {
			return // the feed stopped reading: nobody takes the error
		}
		r.add(events, msg.CaughtUp, err)
		if err != nil {
			return
		}
		lingers := live && len(events) > 0 && r.linger > 0
		live = live || msg.CaughtUp
		if lingers && !r.lingerOut(ctx) {
			return
		}
	}
}

// lingerOut waits out the linger unless someone waits for the projection (Urgency): not at all when someone
// already does, no longer once someone starts to. It reports false when ctx ended first.
//
// A hurry signal left from a wait that began while the feed was not lingering is dropped first: it would
// end the next linger at once with nobody waiting. A wait that begins after the drop is seen by Waited or,
// later still, ends the pause by a signal of its own.
func (r *readAhead) lingerOut(ctx context.Context) bool {
	if r.urgency == nil {
		return r.pause(ctx, r.linger, nil)
	}
	hurry := r.urgency.Hurried()
	select {
	case <-hurry:
	default:
	}
	if r.urgency.Waited() {
		return ctx.Err() == nil
	}
	return r.pause(ctx, r.linger, hurry)
}

// lingerEnd is what ended a linger.
type lingerEnd int

const (
	lingerElapsed   lingerEnd = iota // its time was up
	lingerHurried                    // someone started waiting for the projection
	lingerCancelled                  // the feed's context ended
)

// lingerFor waits until the clock's next multiple of d (at most d), until hurry is signalled (a nil hurry
// never is), or until ctx ends; it reports false when ctx ended first. Every lingering feed of the process
// wakes at the same instants, so the feeds that were at the head read the same page at the same position,
// which the store runs once for all of them (a linger of d from each feed's own last read spread their reads
// apart and cost a page query each).
func lingerFor(ctx context.Context, d time.Duration, hurry <-chan struct{}) bool {
	return lingerUntil(ctx, untilNextMultiple(time.Now(), d), hurry) != lingerCancelled
}

// lingerUntil waits wait, until hurry is signalled, or until ctx ends, and says which came first.
func lingerUntil(ctx context.Context, wait time.Duration, hurry <-chan struct{}) lingerEnd {
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return lingerElapsed
	case <-hurry:
		return lingerHurried
	case <-ctx.Done():
		return lingerCancelled
	}
}

// waitForRoom waits until fewer than max events are held, and returns how many more fit; false when ctx
// ended first.
func (r *readAhead) waitForRoom(ctx context.Context) (int, bool) {
	for {
		r.mu.Lock()
		room := r.max - len(r.events)
		blocked := room <= 0
		r.mu.Unlock()
		if !blocked {
			return room, true
		}
		select {
		case <-r.room:
		case <-ctx.Done():
			return 0, false
		}
	}
}

// add appends what one receive brought, in one step, and wakes the consumer.
func (r *readAhead) add(events []eventstore.RecordedEvent, caughtUp bool, err error) {
	r.mu.Lock()
	r.events = append(r.events, events...)
	if caughtUp {
		r.caughtUpAt = len(r.events)
	}
	r.err = err
	r.mu.Unlock()
	signal(r.ready)
}

// take waits until something was read and returns all of it, up to max events and up to the CaughtUp
// signal: the batch, and whether the CaughtUp signal or an error followed it (each is returned with the
// batch that precedes it, once). A batch is delivered before the error it came with; the feed then
// resubscribes after it.
func (r *readAhead) take(ctx context.Context) (batch []eventstore.RecordedEvent, caughtUp bool, err error) {
	for {
		r.mu.Lock()
		n := min(len(r.events), r.max)
		if r.caughtUpAt >= 0 {
			n = min(n, r.caughtUpAt)
			r.caughtUpAt -= n
			caughtUp = r.caughtUpAt == 0
		}
		batch, r.events = r.events[:n:n], r.events[n:] // the capacity cut keeps later appends off batch
		if caughtUp {
			r.caughtUpAt = -1
		}
		if len(r.events) == 0 {
			r.events, err, r.err = nil, r.err, nil
		}
		r.mu.Unlock()
		if len(batch) > 0 || caughtUp || err != nil {
			signal(r.room)
			return batch, caughtUp, err
		}
		select {
		case <-r.ready:
		case <-ctx.Done():
			return nil, false, ctx.Err()
		}
	}
}

// untilNextMultiple is how long after now the clock reaches the next multiple of d (d itself on one).
func untilNextMultiple(now time.Time, d time.Duration) time.Duration {
	return d - time.Duration(now.UnixNano()%int64(d))
}

// signal leaves one wake-up in ch (a buffer of one) without ever blocking.
func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}
