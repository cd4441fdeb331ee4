package esdb

import (
	"context"
	"errors"
	"fmt"

	esdbclient "github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// ErrSubscriptionClosed is returned by Recv after the subscription's Close.
var ErrSubscriptionClosed = errors.New("esdb: subscription closed")

// SubscribeAll implements eventstore.Store. The first subscription is made before returning, so a node that
// cannot be reached or refuses the request is reported here; afterwards a supervisor goroutine resubscribes
// after every drop, from the last event it received, until ctx ends, the subscription or the store is closed.
// AllEnd is turned into the position of the log's last event first (see endOfLog), so a drop before the
// first event resumes there.
func (s *Store) SubscribeAll(ctx context.Context, from eventstore.AllFrom, filter eventstore.Filter) (eventstore.Subscription, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, ErrClosed
	}
	s.subscriptions.Add(1)
	s.mu.Unlock()

	ctx, cancel := context.WithCancelCause(ctx)
	stopOnStoreClose := context.AfterFunc(s.ctx, func() { cancel(ErrClosed) })
	fail := func(err error) (eventstore.Subscription, error) {
		stopOnStoreClose()
		cancel(err)
		s.subscriptions.Done()
		return nil, fmt.Errorf("esdb: subscribe to $all: %w", err)
	}
	if from.IsEnd() {
		var err error
		if from, err = s.endOfLog(ctx); err != nil {
			return fail(err)
		}
	}
	sub := &subscription{
		store:        s,
		filter:       filter,
		serverFilter: toServerFilter(filter),
		resumeFrom:   from,
		messages:     make(chan eventstore.SubscriptionMessage),
		done:         make(chan struct{}),
		ended:        ctx.Done(),
		cancel:       cancel,
	}
	first, err := sub.open(ctx)
	if err != nil {
		return fail(err)
	}
	go func() {
		defer s.subscriptions.Done()
		defer stopOnStoreClose()
		sub.supervise(ctx, first)
	}()
	return sub, nil
}

// subscription is the pull-based feed handed to the caller. The supervisor goroutine receives one message
// from the client, hands it over the unbuffered messages channel and only then receives the next, so a slow
// consumer holds the subscription back instead of filling memory.
type subscription struct {
	store        *Store
	filter       eventstore.Filter
	serverFilter *esdbclient.SubscriptionFilter
	// resumeFrom is where the next (re)subscription starts: the original start (never AllEnd, which would
	// skip what was written during a drop) until an event arrived, then strictly after the last event
	// received. Only the supervisor touches it.
	resumeFrom eventstore.AllFrom
	// caughtUpSent is set once CaughtUp was delivered: the port sends it once, while the node sends one after
	// every resubscription (and again whenever a live subscription fell behind). Only the supervisor touches it.
	caughtUpSent bool
	messages     chan eventstore.SubscriptionMessage
	// done is closed when the supervisor stopped; err then tells why.
	done chan struct{}
	err  error
	// ended is closed as soon as the subscription's context ends, before the supervisor noticed.
	ended  <-chan struct{}
	cancel context.CancelCauseFunc
}

// Recv implements eventstore.Subscription. Giving up on ctx loses nothing: the pending message stays for
// the next call. Once the subscription ended (its context, Close, the store's Close), Recv returns why.
func (sub *subscription) Recv(ctx context.Context) (eventstore.SubscriptionMessage, error) {
	select {
	case <-sub.ended:
		// Report the end at once rather than a message the supervisor still holds.
		<-sub.done
		return eventstore.SubscriptionMessage{}, sub.err
	default:
	}
	select {
	case message := <-sub.messages:
		return message, nil
	case <-ctx.Done():
		return eventstore.SubscriptionMessage{}, ctx.Err()
	case <-sub.done:
		return eventstore.SubscriptionMessage{}, sub.err
	}
}

// TryRecv implements eventstore.Subscription: it takes the message the supervisor is waiting to hand over,
// if there is one.
func (sub *subscription) TryRecv(context.Context) (eventstore.SubscriptionMessage, bool, error) {
	select {
	case <-sub.ended:
		return eventstore.SubscriptionMessage{}, false, nil
	default:
	}
	select {
	case message := <-sub.messages:
		return message, true, nil
	default:
		return eventstore.SubscriptionMessage{}, false, nil
	}
}

// Close implements eventstore.Subscription. It returns once the supervisor goroutine has stopped.
func (sub *subscription) Close() error {
	sub.cancel(ErrSubscriptionClosed)
	<-sub.done
	return nil
}

// open subscribes from resumeFrom. From is always explicit: the client's default is End, which would
// silently skip history.
func (sub *subscription) open(ctx context.Context) (*esdbclient.Subscription, error) {
	options := esdbclient.SubscribeToAllOptions{From: toClientAllFrom(sub.resumeFrom), Filter: sub.serverFilter}
	var opened *esdbclient.Subscription
	err := sub.store.useClient(ctx, func(client *esdbclient.Client) error {
		var err error
		opened, err = client.SubscribeToAll(ctx, options)
		return err
	})
	if err != nil {
		// opened is not ours to read: after ctx ended the call may still be running. A subscription it
		// opens then runs under the ended ctx, so it is over at once.
		return nil, err
	}
	return opened, nil
}

// forward hands the client's events and its first CaughtUp signal to the consumer until the client
// subscription drops or ctx ends. It reports whether any event arrived, which resets the resubscription backoff.
func (sub *subscription) forward(ctx context.Context, current *esdbclient.Subscription) (received bool) {
	defer current.Close()
	for {
		event := current.Recv()
		switch {
		case event.SubscriptionDropped != nil:
			return received
		case event.EventAppeared != nil:
			recorded := fromResolvedEvent(event.EventAppeared)
			if sub.filter.Matches(recorded.StreamID) && !sub.deliver(ctx, eventstore.SubscriptionMessage{Event: &recorded}) {
				return received
			}
			sub.resumeFrom = eventstore.AllAfter(recorded.Position)
			received = true
		case event.CaughtUp != nil && !sub.caughtUpSent:
			if !sub.deliver(ctx, eventstore.SubscriptionMessage{CaughtUp: true}) {
				return received
			}
			sub.caughtUpSent = true
		}
	}
}

// deliver waits until the consumer takes message; false means ctx ended first.
func (sub *subscription) deliver(ctx context.Context, message eventstore.SubscriptionMessage) bool {
	select {
	case sub.messages <- message:
		return true
	case <-ctx.Done():
		return false
	}
}

// toClientAllFrom maps a resolved start of the global order (never AllEnd: SubscribeAll resolves it first);
// subscriptions treat a position as exclusive, like the port. Start is explicit: the client defaults to End.
func toClientAllFrom(from eventstore.AllFrom) esdbclient.AllPosition {
	if position, ok := from.Position(); ok {
		return toClientPosition(position)
	}
	return esdbclient.Start{}
}

// toServerFilter lets the node drop what the consumer does not want. The system-events filter works on event
// types, not stream names, so forward still drops "$" streams itself.
func toServerFilter(filter eventstore.Filter) *esdbclient.SubscriptionFilter {
	if len(filter.StreamPrefixes) > 0 {
		return &esdbclient.SubscriptionFilter{Type: esdbclient.StreamFilterType, Prefixes: filter.StreamPrefixes}
	}
	return esdbclient.ExcludeSystemEventsFilter()
}
