package projections

import (
	"context"
	"errors"
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

func TestReadAheadHandsAPageOverWhole(t *testing.T) {
	t.Parallel()
	// Given a subscription holding a page of five events, slow to hand over the second,
	page := fakeEvents(5)
	sub := &pagedSubscription{pages: [][]eventstore.RecordedEvent{page}, reached: make(chan struct{}), gate: make(chan struct{})}
	ahead := newReadAhead(10, 0, nil)
	ctx, cancel := context.WithCancel(testContext(t))
	defer cancel()
	go ahead.fill(ctx, sub)
	// when the consumer asks for a batch while the page is being handed over,
	<-sub.reached
	taken := make(chan []eventstore.RecordedEvent)
	go func() {
		batch, _, _ := ahead.take(ctx)
		taken <- batch
	}()
	close(sub.gate)
	// then it gets the whole page in one batch, not the events handed over before it asked.
	if batch := <-taken; len(batch) != len(page) {
		t.Fatalf("first batch has %d events, want the page's %d", len(batch), len(page))
	}
}

func TestReadAheadMergesWhatWasReadIntoOneBatch(t *testing.T) {
	t.Parallel()
	// Given a subscription that hands out two pages of one event, then fails,
	sub := &pagedSubscription{pages: [][]eventstore.RecordedEvent{fakeEvents(1), fakeEvents(1)}, end: errEnded}
	ahead := newReadAhead(3, 0, nil)
	// when both are read before the consumer asks,
	ahead.fill(testContext(t), sub)
	// then it takes them in one batch, with the error that followed them.
	batch, _, err := ahead.take(testContext(t))
	if len(batch) != 2 || !errors.Is(err, errEnded) {
		t.Fatalf("took %d events and %v, want 2 and the error", len(batch), err)
	}
}

func TestReadAheadBatchesStopAtMaxAndAtTheCatchUpSignal(t *testing.T) {
	t.Parallel()
	// Given a subscription that hands out a page larger than max, the catch-up signal, a live page, and fails,
	const max = 3
	history, live := fakeEvents(7), fakeEvents(2)
	sub := &pagedSubscription{pages: [][]eventstore.RecordedEvent{history, nil, live}, end: errEnded}
	ahead := newReadAhead(max, 0, nil)
	go ahead.fill(testContext(t), sub)
	// when the consumer takes batches until the error,
	var taken, caughtUpAfter int
	for {
		batch, caughtUp, err := ahead.take(testContext(t))
		// then no batch is larger than max,
		if len(batch) > max {
			t.Fatalf("a batch of %d events, want at most %d", len(batch), max)
		}
		taken += len(batch)
		if caughtUp {
			caughtUpAfter = taken
		}
		if err != nil {
			break
		}
	}
	// the catch-up signal comes with the batch that ends the history, and the error after every event.
	if caughtUpAfter != len(history) || taken != len(history)+len(live) {
		t.Fatalf("caught up after %d events, %d taken; want after %d, %d taken", caughtUpAfter, taken, len(history), len(history)+len(live))
	}
}

var errEnded = errors.New("subscription ended")

// fakeEvents returns n events at increasing positions.
func fakeEvents(n int) []eventstore.RecordedEvent {
	events := make([]eventstore.RecordedEvent, n)
	for i := range events {
		events[i] = eventstore.RecordedEvent{Revision: uint64(i), Position: eventstore.Position{Commit: 1, Prepare: uint64(i)}}
	}
	return events
}

// pagedSubscription hands out pages as the PostgreSQL store does (Recv the first event, TryRecv the rest); a
// nil page is the catch-up signal. Then Recv returns end. With gate set, the first TryRecv closes reached and
// waits for gate.
type pagedSubscription struct {
	pages         [][]eventstore.RecordedEvent
	end           error
	held          []eventstore.RecordedEvent
	reached, gate chan struct{}
}

func (s *pagedSubscription) Recv(context.Context) (eventstore.SubscriptionMessage, error) {
	if len(s.held) > 0 {
		event := s.held[0]
		s.held = s.held[1:]
		return eventstore.SubscriptionMessage{Event: &event}, nil
	}
	if len(s.pages) == 0 {
		return eventstore.SubscriptionMessage{}, s.end
	}
	page := s.pages[0]
	s.pages = s.pages[1:]
	if page == nil {
		return eventstore.SubscriptionMessage{CaughtUp: true}, nil
	}
	s.held = page[1:]
	return eventstore.SubscriptionMessage{Event: &page[0]}, nil
}

func (s *pagedSubscription) TryRecv(context.Context) (eventstore.SubscriptionMessage, bool, error) {
	if s.gate != nil {
		close(s.reached)
		<-s.gate
		s.gate = nil
	}
	if len(s.held) == 0 {
		return eventstore.SubscriptionMessage{}, false, nil
	}
	event := s.held[0]
	s.held = s.held[1:]
	return eventstore.SubscriptionMessage{Event: &event}, true, nil
}

func (s *pagedSubscription) Close() error { return nil }
