package commands_test

import (
	"slices"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

func TestASubscriptionWhoseFirstInvoiceIsUnpaid(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	cases := []struct {
		name    string
		mode    subscription.CancelMode // the customer cancels it in this mode ("": does not)
		bill    time.Duration           // then the clock runs until this long after its creation
		items   []string
		status  subscription.Status
		invoice invoice.Status
	}{
		{"waits for the customer until its due date", "", 29 * day, nil,
			subscription.StatusIncomplete, invoice.StatusOpen},
		{"ends canceled at its due date, the invoice voided", "", 31 * day,
			[]string{"invoice_overdue:canceled"}, subscription.StatusCanceled, invoice.StatusVoid},
		{"can be canceled by the customer at once", subscription.CancelAtLastPeriodEnd, 0, nil,
			subscription.StatusCanceled, invoice.StatusVoid},
		{"whatever the mode", subscription.CancelNow, 31 * day, nil,
			subscription.StatusCanceled, invoice.StatusVoid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newSalesWorld(t)
			w.catalog.policy.DaysUntilDue = 30
			w.subscriptions.Catalog = w.catalog
			customer := w.register(t, "ann@example.com", "ann")
			// given a subscription paid by invoice whose first invoice is open, due in 30 days
			created, err := w.subscriptions.Create(t.Context(), newEnv(), commands.NewSubscription{
				Target: who(customer), PlanID: 4053, SendInvoice: true})
			if err != nil {
				t.Fatal(err)
			}
			s := w.read(t, created.SubscriptionID)
			if opened := w.opened(t, s.LatestInvoice); !opened.DueAt.Equal(opened.CreatedAt.AddDate(0, 0, 30)) ||
				!s.InvoiceDueAt().Equal(opened.DueAt) {
				t.Fatalf("first invoice issued %v due %v, the subscription holds it due %v; want 30 days later",
					opened.CreatedAt, opened.DueAt, s.InvoiceDueAt())
			}
			// when the customer cancels it, and the clock runs
			if tc.mode != "" {
				_, err := w.subscriptions.Cancel(t.Context(), newEnv(), commands.Cancellation{Target: who(customer),
					SubscriptionID: s.ID, Mode: tc.mode, Reason: "changed my mind"})
				if err != nil {
					t.Fatal(err)
				}
			}
			var done []commands.BillingAction
			_, err = w.subscriptions.BillDue(t.Context(), s.ID, s.Created.Add(tc.bill),
				func(a commands.BillingAction) { done = append(done, a) })
			if err != nil {
				t.Fatal(err)
			}
			// then it ended as the case says, its invoice with it, and nothing was charged
			after, bill := w.read(t, s.ID), w.state(t, s.LatestInvoice)
			if !slices.Equal(outcomes(done), tc.items) || after.Status != tc.status || bill.Status != tc.invoice ||
				w.charges(t) != 0 {
				t.Errorf("items %v, subscription %s, invoice %s, %d charges; want %v, %s, %s, none", outcomes(done),
					after.Status, bill.Status, w.charges(t), tc.items, tc.status, tc.invoice)
			}
		})
	}
}
