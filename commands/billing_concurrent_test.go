package commands_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// meetingStore holds the first two appends of an event of type eventType until both arrived, then lets
// them through one after the other: two commands that read the stream at the same revision and race to
// append after it, as two billing runs acting on one subscription at once (a lease that ran out) do.
type meetingStore struct {
	eventstore.Store
	eventType string
	mu        sync.Mutex
	arrived   int
	met       chan struct{} // closed when the second arrives
	first     chan struct{} // closed when the first's append returned
}

func newMeetingStore(store eventstore.Store, eventType string) *meetingStore {
	return &meetingStore{Store: store, eventType: eventType, met: make(chan struct{}), first: make(chan struct{})}
}

func (s *meetingStore) Append(ctx context.Context, stream string, expected eventstore.ExpectedRevision,
	events ...eventstore.EventData) (eventstore.AppendResult, error) {
	if len(events) == 0 || events[0].Type != s.eventType {
		return s.Store.Append(ctx, stream, expected, events...)
	}
	s.meet()
	defer s.passed()
	return s.Store.Append(ctx, stream, expected, events...)
}

// meet holds the first two arrivals until both came (or the other never does); the second then waits
// until the first passed.
func (s *meetingStore) meet() {
	s.mu.Lock()
	s.arrived++
	n := s.arrived
	if n == 2 {
		close(s.met)
	}
	s.mu.Unlock()
	if n > 2 {
		return
	}
	select {
	case <-s.met:
	case <-time.After(10 * time.Second): // the other never came: nothing to hold it for
	}
	if n == 2 {
		<-s.first
	}
}

// passed lets the second arrival through once the first's append returned.
func (s *meetingStore) passed() {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.first:
	default:
		close(s.first)
	}
}

// multiMeetingStore is meetingStore keeping the inner store's multi-stream appends (meetingStore hides
// them: it embeds eventstore.Store): the meeting holds a multi-stream append whose first event is of type
// eventType.
type multiMeetingStore struct{ *meetingStore }

func (s multiMeetingStore) AppendMulti(ctx context.Context, appends []eventstore.StreamAppend) ([]eventstore.AppendResult, error) {
	if len(appends) == 0 || len(appends[0].Events) == 0 || appends[0].Events[0].Type != s.eventType {
		return eventstore.AppendMulti(ctx, s.Store, appends)
	}
	s.meet()
	defer s.passed()
	return eventstore.AppendMulti(ctx, s.Store, appends)
}

func TestTwoRunsRenewingOneSubscriptionAtOnceChargeOnce(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		failing bool // the card declines: the failure is recorded once, nothing charged
		multi   bool // the store appends several streams at once: the renewal takes two commits
	}{
		{name: "a card that pays"},
		{name: "a card that declines", failing: true},
		{name: "a card that pays, two-stream appends", multi: true},
		{name: "a card that declines, two-stream appends", failing: true, multi: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// given a subscription due for its renewal and two runs that both read it before either renewed it
			w := newBillingWorld(t)
			customer := w.register(t, "ann@example.com", "ann")
			token := "tok_visa"
			if c.failing {
				token = "tok_chargeCustomerFail"
			}
			id := w.subscribe(t, customer, w.saveCard(t, customer, token), monthlyTerms, billingStart)
			racing := w.subscriptions
			racing.Store = newMeetingStore(withoutMulti{w.store}, "subscription.period_started")
			if c.multi {
				racing.Store = multiMeetingStore{newMeetingStore(w.store, "subscription.period_started")}
			}
			due, _ := w.read(t, id).Due()
			until := due.At // the renewal and its charge, not the retries that follow a decline
			// when both do its due items at once
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i := range errs {
				wg.Go(func() { _, errs[i] = racing.BillDue(t.Context(), id, until, nil) })
			}
			wg.Wait()
			// then both finish, the log records one renewal whose invoice was charged once, and what the
			// runs' process believes of the subscription is what the log says
			for i, err := range errs {
				if err != nil {
					t.Errorf("run %d: %v", i, err)
				}
			}
			wantCharges, wantStatus := 1, subscription.StatusActive
			if c.failing {
				wantCharges, wantStatus = 0, subscription.StatusPastDue
			}
			if got := w.charges(t); got != wantCharges {
				t.Errorf("%d charges at the gateway, want %d", got, wantCharges)
			}
			logged := w.read(t, id)
			believed, err := racing.Read(t.Context(), id)
			if err != nil {
				t.Fatal(err)
			}
			if logged.Status != wantStatus || logged.Cycle != 2 || logged.Unsettled != believed.Unsettled ||
				logged.Failures != believed.Failures {
				t.Errorf("the log says %s, cycle %d, waiting for invoice %d after %d failures; the runs believe "+
					"invoice %d after %d failures", logged.Status, logged.Cycle, logged.Unsettled, logged.Failures,
					believed.Unsettled, believed.Failures)
			}
			if again, err := w.bill(t, id, until); err != nil || len(again) != 0 {
				t.Errorf("a run after them did %v (%v), want nothing", outcomes(again), err)
			}
		})
	}
}
