package projections

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// newTestSubscriber subscribes to the whole log of store from its start.
func newTestSubscriber(t *testing.T, store eventstore.Store, onError func(string, error)) *Subscriber {
	t.Helper()
	sub, err := NewSubscriber(SubscriberConfig{
		Store:               store,
		StartFrom:           func(context.Context, string) (eventstore.AllFrom, error) { return eventstore.AllStart(), nil },
		Backoff:             Backoff{Initial: time.Millisecond, Max: 5 * time.Millisecond},
		RedeliveryDelay:     time.Millisecond,
		OnSubscriptionError: onError,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sub.Close() })
	return sub
}

// receive returns the next message or fails the test after 10 s.
func receive(t *testing.T, messages <-chan *message.Message) *message.Message {
	t.Helper()
	select {
	case msg, ok := <-messages:
		if !ok {
			t.Fatal("channel closed")
		}
		return msg
	case <-time.After(10 * time.Second):
		t.Fatal("no message within 10 s")
	}
	return nil
}

// recorded reads the whole log, to compare messages with what the store holds.
func (e *testEnv) recorded() []eventstore.RecordedEvent {
	e.t.Helper()
	events, err := e.store.ReadAll(testContext(e.t), eventstore.AllStart(), 100)
	if err != nil {
		e.t.Fatal(err)
	}
	return events
}

func TestSubscriberKeepsOneMessageInFlightAndRedeliversOnNack(t *testing.T) {
	t.Parallel()
	env := newEnv(t, postgresBackend)
	env.ticks("a-1", 2)
	events := env.recorded()
	messages, err := newTestSubscriber(t, env.store, nil).Subscribe(testContext(t), "counts.v1")
	if err != nil {
		t.Fatal(err)
	}

	// given the first message, not yet acknowledged
	first := receive(t, messages)
	got, err := recordFromMessage(first)
	if err != nil {
		t.Fatal(err)
	}
	want := events[0]
	if got.ID != want.ID || got.StreamID != want.StreamID || got.Revision != want.Revision ||
		got.Position != want.Position || got.Type != want.Type || string(got.Data) != string(want.Data) ||
		string(got.Metadata) != string(want.Metadata) || !got.Created.Equal(want.Created) {
		t.Fatalf("message carries %+v, want %+v", got, want)
	}
	if first.Metadata.Get(MetadataRevision) != strconv.FormatUint(want.Revision, 10) {
		t.Fatalf("revision metadata %q", first.Metadata.Get(MetadataRevision))
	}

	// then no second message comes before it is acknowledged
	select {
	case msg := <-messages:
		t.Fatalf("second message %s delivered while the first was in flight", msg.UUID)
	case <-time.After(100 * time.Millisecond):
	}

	// when it is Nacked, then the same event comes again; once Acked, the next one follows
	first.Nack()
	again := receive(t, messages)
	if again.UUID != first.UUID {
		t.Fatalf("after Nack got %s, want %s again", again.UUID, first.UUID)
	}
	again.Ack()
	if next := receive(t, messages); next.UUID != events[1].ID.String() {
		t.Fatalf("after Ack got %s, want %s", next.UUID, events[1].ID)
	}
}

func TestSubscriberResubscribesAfterTheLastAcknowledgedEvent(t *testing.T) {
	t.Parallel()
	env := newEnv(t, postgresBackend)
	env.ticks("a-1", 5)
	events := env.recorded()
	// given a store whose first two subscriptions fail after delivering two events each
	flaky := &flakyStore{Store: env.store, failing: 2, deliverBeforeFailure: 2}
	var failures []error
	var mu sync.Mutex
	sub := newTestSubscriber(t, flaky, func(_ string, err error) {
		mu.Lock()
		defer mu.Unlock()
		failures = append(failures, err)
	})
	messages, err := sub.Subscribe(testContext(t), "counts.v1")
	if err != nil {
		t.Fatal(err)
	}

	// when every message is acknowledged
	for i, want := range events {
		msg := receive(t, messages)
		if msg.UUID != want.ID.String() {
			t.Fatalf("message %d is %s, want %s: a resubscription skipped or repeated an event", i, msg.UUID, want.ID)
		}
		msg.Ack()
	}

	// then the feed resumed after each failure from the last acknowledged event
	mu.Lock()
	defer mu.Unlock()
	if len(failures) != 2 || !errors.Is(failures[0], errDropped) {
		t.Fatalf("subscription errors reported: %v", failures)
	}
	if err := sub.Close(); err != nil {
		t.Fatal(err)
	}
	if _, open := <-messages; open {
		t.Fatal("channel still open after Close")
	}
	if _, err := sub.Subscribe(testContext(t), "counts.v1"); !errors.Is(err, ErrSubscriberClosed) {
		t.Fatalf("Subscribe after Close = %v", err)
	}
}

var errDropped = errors.New("subscription dropped")

// flakyStore makes its first `failing` subscriptions fail after deliverBeforeFailure events.
type flakyStore struct {
	eventstore.Store
	mu                   sync.Mutex
	failing              int
	deliverBeforeFailure int
}

func (s *flakyStore) SubscribeAll(ctx context.Context, from eventstore.AllFrom, f eventstore.Filter) (eventstore.Subscription, error) {
	sub, err := s.Store.SubscribeAll(ctx, from, f)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil || s.failing == 0 {
		return sub, err
	}
	s.failing--
	return &failingSubscription{Subscription: sub, left: s.deliverBeforeFailure}, nil
}

type failingSubscription struct {
	eventstore.Subscription
	left int
}

// TryRecv hands out nothing, so every event goes through Recv and counts towards the failure.
func (s *failingSubscription) TryRecv(context.Context) (eventstore.SubscriptionMessage, bool, error) {
	return eventstore.SubscriptionMessage{}, false, nil
}

func (s *failingSubscription) Recv(ctx context.Context) (eventstore.SubscriptionMessage, error) {
	if s.left == 0 {
		return eventstore.SubscriptionMessage{}, errDropped
	}
	m, err := s.Subscription.Recv(ctx)
	if m.Event != nil {
		s.left--
	}
	return m, err
}
