package projections

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestSubscriberReadsAheadWhileAMessageIsInFlight(t *testing.T) {
	t.Parallel()
	env := newEnv(t, postgresBackend)
	env.ticks("a-1", 1)
	store := &receiptCountingStore{Store: env.store}
	sub, err := NewSubscriber(SubscriberConfig{
		Store:     store,
		StartFrom: func(context.Context, string) (eventstore.AllFrom, error) { return eventstore.AllStart(), nil },
		MaxBatch:  10,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sub.Close() })
	messages, err := sub.Subscribe(testContext(t), "counts.v1")
	if err != nil {
		t.Fatal(err)
	}

	// given the first event in flight, not yet acknowledged
	first := receive(t, messages)

	// when three more events are appended
	env.ticks("b-1", 3)

	// then the feed reads them from the log while the first is still in flight
	deadline := time.Now().Add(10 * time.Second)
	for store.received.Load() < 4 {
		if time.Now().After(deadline) {
			t.Fatalf("%d events read while the first was in flight, want 4: the feed does not read ahead", store.received.Load())
		}
		time.Sleep(time.Millisecond)
	}
	// and once the first is acknowledged, the next message carries all three
	first.Ack()
	events, err := eventsOf(receive(t, messages))
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 3 || events[0].StreamID != "b-1" || events[2].Revision != 2 {
		t.Fatalf("next message carries %d events (%+v), want b-1's three", len(events), events)
	}
}

// receiptCountingStore counts the events its subscriptions hand out.
type receiptCountingStore struct {
	eventstore.Store
	received atomic.Int64
}

func (s *receiptCountingStore) SubscribeAll(ctx context.Context, from eventstore.AllFrom, f eventstore.Filter) (eventstore.Subscription, error) {
	sub, err := s.Store.SubscribeAll(ctx, from, f)
	return &receiptCountingSubscription{Subscription: sub, received: &s.received}, err
}

type receiptCountingSubscription struct {
	eventstore.Subscription
	received *atomic.Int64
}

func (s *receiptCountingSubscription) Recv(ctx context.Context) (eventstore.SubscriptionMessage, error) {
	m, err := s.Subscription.Recv(ctx)
	if m.Event != nil {
		s.received.Add(1)
	}
	return m, err
}

func (s *receiptCountingSubscription) TryRecv(ctx context.Context) (eventstore.SubscriptionMessage, bool, error) {
	m, ok, err := s.Subscription.TryRecv(ctx)
	if m.Event != nil {
		s.received.Add(1)
	}
	return m, ok, err
}
