package commands_test

import (
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestTwoRunsEndingOneSubscriptionAtOnceReportTheEndOnce(t *testing.T) {
	t.Parallel()
	oneOff := monthlyTerms
	oneOff.AutoRenew = false
	cases := []struct {
		name   string
		terms  subscription.Terms
		cancel bool // set to cancel at the period's end
		item   string
	}{
		{name: "a scheduled cancellation", terms: monthlyTerms, cancel: true, item: "end:canceled"},
		{name: "a plan that does not renew", terms: oneOff, item: "end:expired"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// given a subscription due to end and two runs that both read it before either ended it
			w := newBillingWorld(t)
			customer := w.register(t, "ann@example.com", "ann")
			id := w.subscribe(t, customer, w.saveCard(t, customer, "tok_visa"), c.terms, billingStart)
			if c.cancel {
				w.decide(t, id, func(s subscription.State) ([]subscription.Event, error) {
					return subscription.CancelSubscription(s, subscription.Cancel{Mode: subscription.CancelAtPeriodEnd},
						0, billingStart.Add(time.Hour))
				})
			}
			racing := w.subscriptions
			racing.Store = newMeetingStore(withoutMulti{w.store}, "subscription.ended")
			// when both do its due items at once
			var mu sync.Mutex
			var done []commands.BillingAction
			report := func(a commands.BillingAction) {
				mu.Lock()
				defer mu.Unlock()
				done = append(done, a)
			}
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i := range errs {
				wg.Go(func() { _, errs[i] = racing.BillDue(t.Context(), id, firstRenewal, report) })
			}
			wg.Wait()
			// then both finish, the log holds one end, and the two runs report it once between them
			for i, err := range errs {
				if err != nil {
					t.Errorf("run %d: %v", i, err)
				}
			}
			if got := outcomes(done); !slices.Equal(got, []string{c.item}) {
				t.Errorf("the runs reported %v, want [%s] once", got, c.item)
			}
			if got := w.countEvents(t, id, "subscription.ended"); got != 1 {
				t.Errorf("%d subscription.ended events, want 1", got)
			}
		})
	}
}

// countEvents is how many events of type eventType subscription id's stream holds.
func (w *billingWorld) countEvents(t *testing.T, id int64, eventType string) int {
	t.Helper()
	events, err := w.store.ReadStream(t.Context(), "subscription-"+strconv.FormatInt(id, 10), eventstore.Forwards,
		eventstore.StreamStart(), 1000)
	if err != nil {
		t.Fatalf("read subscription %d: %v", id, err)
	}
	n := 0
	for _, e := range events {
		if e.Type == eventType {
			n++
		}
	}
	return n
}
