package esdb

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/eventstore/storetest"
)

// quietPeriod is how long a subscription must stay silent to show it delivers nothing more.
const quietPeriod = 300 * time.Millisecond

func TestSubscribeFromStartDeliversHistoryCaughtUpThenLive(t *testing.T) {
	t.Parallel()
	everywhere(t, func(t *testing.T, e *env) {
		// Given three events written before subscribing.
		history := newEvents(3)
		e.append(e.stream("history"), eventstore.NoStream(), history...)
		// When subscribing from the start of the log.
		sub := e.subscribe(eventstore.AllStart(), e.ownFilter())
		// Then the history comes first, then CaughtUp, then an event written afterwards.
		if got := storetest.RecordedIDs(receiveEvents(t, e.ctx, sub, len(history))); !slices.Equal(got, storetest.IDs(history)) {
			t.Fatalf("history delivered as %v, want %v", got, storetest.IDs(history))
		}
		if message := receive(t, e.ctx, sub); !message.CaughtUp {
			t.Fatalf("after the history got %+v, want CaughtUp", message)
		}
		live := newEvents(1)
		e.append(e.stream("live"), eventstore.NoStream(), live...)
		if got := storetest.RecordedIDs(receiveEvents(t, e.ctx, sub, 1)); !slices.Equal(got, storetest.IDs(live)) {
			t.Fatalf("live event delivered as %v, want %v", got, storetest.IDs(live))
		}
	})
}

func TestSubscriptionNeverDeliversSystemStreams(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		filter func(e *env) eventstore.Filter
	}{
		{"without a filter", func(*env) eventstore.Filter { return eventstore.Filter{} }},
		{"with a prefix naming the system stream", func(e *env) eventstore.Filter {
			return eventstore.Filter{StreamPrefixes: []string{e.systemStream(), e.prefix}}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			everywhere(t, func(t *testing.T, e *env) {
				// Given a subscription after a marker event.
				marker := e.append(e.stream("marker"), eventstore.Any(), newEvents(1)...)
				sub := e.subscribe(eventstore.AllAfter(marker.Position), tc.filter(e))
				// When system events and then one of ours are written.
				e.appendSystemEvents(2)
				last := newEvents(1)
				e.append(e.stream("last"), eventstore.Any(), last...)
				// Then everything up to our event is delivered except the system events.
				for {
					message := receive(t, e.ctx, sub)
					if message.Event == nil {
						continue
					}
					if eventstore.IsSystemStream(message.Event.StreamID) {
						t.Fatalf("delivered system event of %s", message.Event.StreamID)
					}
					if message.Event.ID == last[0].ID {
						return
					}
				}
			})
		})
	}
}

func TestSubscriptionResumesAfterDropWithoutGapOrDuplicate(t *testing.T) {
	t.Parallel()
	eachDrop(t, func(t *testing.T, e *env, drop func(*env)) {
		// Given a subscription that delivered two of three events.
		before := newEvents(3)
		e.append(e.stream("before"), eventstore.NoStream(), before...)
		sub := e.subscribe(eventstore.AllStart(), e.ownFilter())
		delivered := receiveEvents(t, e.ctx, sub, 2)
		// When the subscription drops and three more events are written.
		drop(e)
		after := newEvents(3)
		e.append(e.stream("after"), eventstore.NoStream(), after...)
		// Then the rest arrives exactly once, in order.
		delivered = append(delivered, receiveEvents(t, e.ctx, sub, 4)...)
		if want := storetest.IDs(slices.Concat(before, after)); !slices.Equal(storetest.RecordedIDs(delivered), want) {
			t.Fatalf("delivered %v, want %v", storetest.RecordedIDs(delivered), want)
		}
		storetest.RequireNoEventWithin(t, e.ctx, sub, quietPeriod)
	})
}

func TestSubscriptionEnds(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		end     func(e *env, sub eventstore.Subscription, cancel context.CancelFunc)
		wantErr error
	}{
		{"when its context ends", func(_ *env, _ eventstore.Subscription, cancel context.CancelFunc) { cancel() }, context.Canceled},
		{"when it is closed", func(_ *env, sub eventstore.Subscription, _ context.CancelFunc) { _ = sub.Close() }, ErrSubscriptionClosed},
		{"when the store is closed", func(e *env, _ eventstore.Subscription, _ context.CancelFunc) { _ = e.store.Close() }, ErrClosed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			everywhere(t, func(t *testing.T, e *env) {
				// Given a live subscription.
				ctx, cancel := context.WithCancel(e.ctx)
				defer cancel()
				sub, err := e.store.SubscribeAll(ctx, eventstore.AllEnd(), e.ownFilter())
				if err != nil {
					t.Fatalf("subscribe: %v", err)
				}
				// When it is ended, then Recv reports why instead of waiting for events. Recv reports an end
				// only once the supervisor goroutine has returned, so this also proves nothing is left running.
				tc.end(e, sub, cancel)
				if _, err := sub.Recv(e.ctx); !errors.Is(err, tc.wantErr) {
					t.Fatalf("Recv error = %v, want %v", err, tc.wantErr)
				}
			})
		})
	}
}

// ownFilter selects only the test's streams, so a shared node's other traffic stays out.
func (e *env) ownFilter() eventstore.Filter {
	return eventstore.Filter{StreamPrefixes: []string{e.prefix}}
}

// subscribe subscribes to $all and closes the subscription when the test ends.
func (e *env) subscribe(from eventstore.AllFrom, filter eventstore.Filter) eventstore.Subscription {
	e.t.Helper()
	sub, err := e.store.SubscribeAll(e.ctx, from, filter)
	if err != nil {
		e.t.Fatalf("subscribe: %v", err)
	}
	e.t.Cleanup(func() { _ = sub.Close() })
	return sub
}

// killClient closes the store's client behind its back, as the client does itself when rediscovery fails:
// subscriptions drop and the next call finds the client closed for good.
func (e *env) killClient() {
	e.store.conn.mu.Lock()
	client := e.store.conn.current.client
	e.store.conn.mu.Unlock()
	_ = client.Close()
}

func receive(t *testing.T, ctx context.Context, sub eventstore.Subscription) eventstore.SubscriptionMessage {
	t.Helper()
	message, err := sub.Recv(ctx)
	if err != nil {
		t.Fatalf("Recv: %v", err)
	}
	return message
}

// receiveEvents returns the next n events, skipping CaughtUp signals.
func receiveEvents(t *testing.T, ctx context.Context, sub eventstore.Subscription, n int) []eventstore.RecordedEvent {
	t.Helper()
	var events []eventstore.RecordedEvent
	for len(events) < n {
		if message := receive(t, ctx, sub); message.Event != nil {
			events = append(events, *message.Event)
		}
	}
	return events
}
