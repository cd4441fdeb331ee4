package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// Retry pacing of a subscription whose query failed (typically a dropped connection): it starts again from
// its last position after firstRetryDelay, doubling up to maxRetryDelay.
const (
	firstRetryDelay = 50 * time.Millisecond
	maxRetryDelay   = 5 * time.Second
)

// firstHeldBackDelay is how soon a subscription looks again while committed events wait behind an open
// transaction; the delay doubles up to the poll interval.
const firstHeldBackDelay = 5 * time.Millisecond

// subscription walks $all page by page. It is pull-based: the next page is read only when Recv has handed out
// the previous one. Recv is not safe for concurrent use; Close is, from any goroutine.
type subscription struct {
	store    *Store
	patterns pq.StringArray
	wake     <-chan struct{}
	leave    func()

	// ctx ends when the subscription ends: Close, Store.Close or the context given to SubscribeAll. Its
	// cause is what Recv then returns.
	ctx    context.Context
	cancel context.CancelCauseFunc

	// startSnapshot, for a subscription from AllEnd, is the snapshot it started in: events visible in it
	// were written before the subscription and are not delivered.
	startSnapshot sql.NullString

	after        eventstore.Position // the last row scanned: every event up to it has been delivered or dropped
	fence        string              // the fence the last page was read below
	buffered     []eventstore.RecordedEvent
	atHead       bool // the last page was not full: wait for news before reading again
	caughtUpSent bool
	// catchUpTarget is the last committed position when the subscription first reached the fence: CaughtUp
	// waits until it has been passed, so events committed but still held back by an older append come
	// before the signal. Nil until the fence is first reached.
	catchUpTarget *eventstore.Position
	heldBackWait  time.Duration // current delay of the held-back backoff, 0 when nothing is held back
	retryWait     time.Duration // current delay of the failed-read backoff, 0 after a successful read
}

// SubscribeAll implements eventstore.Store. AllEnd delivers exactly the events not yet committed when it
// is called (see endOfLog). The subscription ends with the given context, Close or Store.Close.
func (s *Store) SubscribeAll(ctx context.Context, from eventstore.AllFrom, filter eventstore.Filter) (eventstore.Subscription, error) {
	sub := &subscription{store: s, patterns: likePatterns(filter.StreamPrefixes)}
	sub.after, _ = from.Position()
	if from.IsEnd() {
		after, snapshot, err := s.endOfLog(ctx)
		if err != nil {
			return nil, fmt.Errorf("eventstore/postgres: subscribe from end: %w", err)
		}
		sub.after, sub.startSnapshot = after, sql.NullString{String: snapshot, Valid: true}
	}
	s.startListener()
	sub.ctx, sub.cancel = context.WithCancelCause(ctx)
	stopOnStoreClose := context.AfterFunc(s.ctx, func() { sub.cancel(ErrClosed) })
	sub.wake, sub.leave = s.wakes.join()
	context.AfterFunc(sub.ctx, func() {
		stopOnStoreClose()
		sub.leave()
	})
	return sub, nil
}

// Close implements eventstore.Subscription.
func (sub *subscription) Close() error {
	sub.cancel(ErrClosed)
	return nil
}

// Recv implements eventstore.Subscription.
func (sub *subscription) Recv(ctx context.Context) (eventstore.SubscriptionMessage, error) {
	ctx, stop := sub.bind(ctx)
	defer stop()
	for {
		if err := sub.ended(ctx); err != nil {
			return eventstore.SubscriptionMessage{}, err
		}
		if len(sub.buffered) > 0 {
			event := sub.buffered[0]
			sub.buffered = sub.buffered[1:]
			return eventstore.SubscriptionMessage{Event: &event}, nil
		}
		if sub.atHead && !sub.caughtUpSent && sub.passedCatchUpTarget(ctx) {
			sub.caughtUpSent = true
			return eventstore.SubscriptionMessage{CaughtUp: true}, nil
		}
		if sub.atHead {
			sub.waitForNews(ctx)
			continue
		}
		sub.readNextPage(ctx)
	}
}

// TryRecv implements eventstore.Subscription: it hands out the rest of the page the last read buffered.
func (sub *subscription) TryRecv(context.Context) (eventstore.SubscriptionMessage, bool, error) {
	if sub.ctx.Err() != nil || len(sub.buffered) == 0 {
		return eventstore.SubscriptionMessage{}, false, nil
	}
	event := sub.buffered[0]
	sub.buffered = sub.buffered[1:]
	return eventstore.SubscriptionMessage{Event: &event}, true, nil
}

// bind returns a context that ends with either Recv's context or the subscription.
func (sub *subscription) bind(ctx context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(sub.ctx, cancel)
	return ctx, func() {
		stop()
		cancel()
	}
}

// ended returns why Recv must stop, or nil: the subscription's end wins over Recv's context.
func (sub *subscription) ended(ctx context.Context) error {
	if sub.ctx.Err() != nil {
		return context.Cause(sub.ctx)
	}
	return ctx.Err()
}

// readNextPage buffers the next page. On failure it logs and sleeps with a growing delay, so the next turn of
// Recv retries from the same position: nothing is skipped or delivered twice.
func (sub *subscription) readNextPage(ctx context.Context) {
	p, err := sub.store.readPage(ctx, sub.after, sub.patterns, sub.startSnapshot)
	if err != nil {
		if ctx.Err() == nil {
			sub.retryWait = grow(sub.retryWait, firstRetryDelay, maxRetryDelay)
			sub.store.opts.logger.Warn("eventstore/postgres: subscription read failed; retrying",
				"after", sub.after.String(), "in", sub.retryWait, "err", err)
			sleep(ctx, sub.retryWait)
		}
		return
	}
	sub.retryWait = 0
	sub.buffered, sub.fence = p.events, p.fence
	if p.last != (eventstore.Position{}) {
		sub.after = p.last
	}
	sub.atHead = !p.full
}

// passedCatchUpTarget reports whether every event committed when the subscription first reached the fence
// has been delivered (or dropped by the filter). A failed query counts as not yet: Recv then waits and asks
// again.
func (sub *subscription) passedCatchUpTarget(ctx context.Context) bool {
	if sub.catchUpTarget == nil {
		target, err := sub.store.committedHead(ctx)
		if err != nil {
			return false
		}
		sub.catchUpTarget = &target
	}
	return sub.after.Compare(*sub.catchUpTarget) >= 0
}

// waitForNews returns on a wake-up (an append of this Store or a NOTIFY), after the poll interval, or sooner
// while committed events wait at or above the last page's fence (behind an append that was in flight, in
// another process, whose NOTIFY may be lost).
//
// A wake-up that came while the last page was read or delivered is taken at once. Otherwise the subscription
// waits firstHeldBackDelay for one before it asks whether events are held back: under a steady stream of
// appends one comes within a millisecond or two, and the question (a look at the events table
// above the last page's fence) would hold up the read that wake-up asks for by its round trip. Only a subscription left without
// news that long asks, and then looks again soon, doubling, while events are held back.
func (sub *subscription) waitForNews(ctx context.Context) {
	if sub.wokenWithin(ctx, 0) || sub.wokenWithin(ctx, firstHeldBackDelay) {
		return
	}
	delay := sub.store.opts.pollInterval
	if held, err := sub.store.unreadAbove(ctx, sub.fence); err == nil && held {
		sub.heldBackWait = grow(sub.heldBackWait, firstHeldBackDelay, delay)
		delay = sub.heldBackWait
	} else {
		sub.heldBackWait = 0
	}
	if !sub.wokenWithin(ctx, delay) {
		sub.atHead = false // look again: the poll, or events held back
	}
}

// wokenWithin waits up to d (not at all for 0) for a wake-up and reports whether one came; it then readies
// the next read. It returns false at once when ctx ends.
func (sub *subscription) wokenWithin(ctx context.Context, d time.Duration) bool {
	if d == 0 {
		select {
		case <-sub.wake:
		default:
			return false
		}
	} else {
		timer := time.NewTimer(d)
		defer timer.Stop()
		select {
		case <-sub.wake:
		case <-timer.C:
			return false
		case <-ctx.Done():
			return false
		}
	}
	sub.atHead = false
	sub.heldBackWait = 0 // news arrived: a later held-back wait starts short again
	return true
}

// grow returns the next delay of a doubling backoff that starts at first and stops at limit.
func grow(current, first, limit time.Duration) time.Duration {
	if current == 0 {
		return min(first, limit)
	}
	return min(2*current, limit)
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-ctx.Done():
	}
}
