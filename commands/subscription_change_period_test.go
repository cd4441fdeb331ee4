package commands_test

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/commands"
)

func TestAChangeInvoiceShowsThePeriodItBills(t *testing.T) {
	t.Parallel()
	w := newSubscriptionWorld(t)
	ann := w.register(t, "ann@example.com", "ann")
	card := w.saveCard(t, ann, "tok_visa")
	monthEnd := subscribedAt.AddDate(0, 1, 0)
	cases := []struct {
		name       string
		plan       int64
		start, end time.Time
	}{
		{name: "monthly to yearly bills the new year from the change", plan: 4053, start: halfWay, end: halfWay.AddDate(1, 0, 0)},
		{name: "within the month it bills the rest of the month", plan: 4054, start: halfWay, end: monthEnd},
	}
	// given a monthly subscription per case, half way through its first period
	ids := make([]int64, len(cases))
	for i := range cases {
		ids[i] = w.subscribe(t, ann, card, nil)
	}
	w.at(halfWay)
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// when ann changes its plan, charged to the saved card
			changed, err := w.subs.Change(t.Context(), newEnv(), commands.PlanChange{SubscriptionSale: commands.SubscriptionSale{
				Target: target(ann), SubscriptionID: ids[i], PlanID: c.plan, Quantity: 1}})
			if err != nil || changed.InvoiceID == 0 {
				t.Fatalf("Change() = %+v, %v; want an invoice", changed, err)
			}
			// then its invoice covers the period it bills
			if period := w.opened(t, changed.InvoiceID).Period; !period.Start.Equal(c.start) || !period.End.Equal(c.end) {
				t.Errorf("invoice period %v to %v, want %v to %v", period.Start, period.End, c.start, c.end)
			}
		})
	}
}
