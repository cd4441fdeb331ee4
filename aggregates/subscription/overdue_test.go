package subscription_test

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

func TestAnInvoiceSentToBePaidGoesOverdue(t *testing.T) {
	t.Parallel()
	byInvoice := created()
	byInvoice.Billing, byInvoice.Payment, byInvoice.DaysUntilDue = subscription.BillingSendInvoice, subscription.Payment{}, 14
	due := t1.AddDate(0, 0, 14)
	sent := renewed()
	sent.InvoiceDueAt = due
	overdue := subscription.InvoiceOverdue{SubscriptionID: 1, InvoiceID: 501, DueAt: due, GiveUpAt: due.Add(days(7)),
		OverdueAt: due}
	unpaidStart := byInvoice
	unpaidStart.Status, unpaidStart.InvoiceDueAt = subscription.StatusIncomplete, t0.AddDate(0, 0, 14)
	policy := subscription.DefaultDunning
	keep := subscription.Dunning{Retries: policy.Retries, KeepUnpaid: true}
	mark := func(at time.Time) func(subscription.State) ([]subscription.Event, error) {
		return func(s subscription.State) ([]subscription.Event, error) {
			return subscription.MarkOverdue(s, policy, at)
		}
	}
	end := func(p subscription.Dunning, at time.Time) func(subscription.State) ([]subscription.Event, error) {
		return func(s subscription.State) ([]subscription.Event, error) { return subscription.EndOverdue(s, p, at) }
	}
	renew := func(at time.Time) func(subscription.State) ([]subscription.Event, error) {
		return func(s subscription.State) ([]subscription.Event, error) {
			return subscription.StartNextPeriod(s, subscription.NextPeriod{InvoiceID: 502, Amount: 1000}, at)
		}
	}
	paid := subscription.PaymentSucceeded{SubscriptionID: 1, InvoiceID: 501, Amount: 1000, PaidAt: due}
	phase := subscription.Phase{Terms: monthly, Quantity: 1, PaidBy: 503}
	awaitingSince := renewed().PeriodEnd.Add(-time.Hour)
	awaiting := subscription.PurchaseAwaitingPayment{SubscriptionID: 1, AwaitingSince: awaitingSince,
		Purchase: subscription.Purchase{Kind: subscription.PurchaseRenewal, InvoiceID: 503, Phase: &phase, At: awaitingSince}}
	giveUp := due.Add(days(7))
	tests := []struct {
		name   string
		given  []subscription.Event
		decide func(subscription.State) ([]subscription.Event, error)
		then   []subscription.Event
		err    error
	}{
		{"a renewal's invoice is due the subscription's days after the period starts",
			[]subscription.Event{byInvoice}, renew(t1), []subscription.Event{func() subscription.PeriodStarted {
				started := renewed()
				started.InvoiceID, started.InvoiceDueAt = 502, due
				return started
			}()}, nil},
		{"unpaid at its due date: past due until the account's last retry delay after it",
			[]subscription.Event{byInvoice, sent}, mark(due), []subscription.Event{overdue}, nil},
		{"not before", []subscription.Event{byInvoice, sent}, mark(due.Add(-time.Second)), nil, subscription.ErrNotDue},
		{"nor once paid", []subscription.Event{byInvoice, sent, paid}, mark(due), nil, subscription.ErrNotDue},
		{"the next period waits for the unpaid invoice", []subscription.Event{byInvoice, sent},
			renew(renewed().PeriodEnd), nil, subscription.ErrNotDue},
		{"also while a renewal paid now awaits 3-D Secure", []subscription.Event{byInvoice, sent, awaiting},
			renew(renewed().PeriodEnd), nil, subscription.ErrNotDue},
		{"which does not keep the invoice from going overdue", []subscription.Event{byInvoice, sent, awaiting},
			mark(due), []subscription.Event{overdue}, nil},
		{"at the end of dunning it ends canceled", []subscription.Event{byInvoice, sent, overdue}, end(policy, giveUp),
			[]subscription.Event{subscription.Ended{SubscriptionID: 1, Status: subscription.StatusCanceled,
				Reason: subscription.ReasonInvoiceOverdue, By: subscription.BySystem, EndedAt: giveUp}}, nil},
		{"or unpaid when the account keeps them", []subscription.Event{byInvoice, sent, overdue}, end(keep, giveUp),
			[]subscription.Event{subscription.Ended{SubscriptionID: 1, Status: subscription.StatusUnpaid,
				Reason: subscription.ReasonInvoiceOverdue, By: subscription.BySystem, EndedAt: giveUp}}, nil},
		{"not once paid", []subscription.Event{byInvoice, sent, overdue, paid}, end(policy, giveUp), nil,
			subscription.ErrNotDue},
		{"an unpaid first invoice ends the subscription canceled at its due date",
			[]subscription.Event{unpaidStart}, mark(unpaidStart.InvoiceDueAt),
			[]subscription.Event{subscription.Ended{SubscriptionID: 1, Status: subscription.StatusCanceled,
				Reason: subscription.ReasonInvoiceOverdue, By: subscription.BySystem, EndedAt: unpaidStart.InvoiceDueAt}}, nil},
		{"which the customer may cancel before", []subscription.Event{unpaidStart},
			func(s subscription.State) ([]subscription.Event, error) {
				return subscription.CancelSubscription(s, subscription.Cancel{Mode: subscription.CancelAtPeriodEnd}, 0, t0)
			}, []subscription.Event{subscription.Ended{SubscriptionID: 1, Status: subscription.StatusCanceled,
				By: subscription.ByCustomer, EndedAt: t0}}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.err != nil {
				spec.Given(tc.given...).When(tc.decide).ThenError(t, tc.err)
				return
			}
			spec.Given(tc.given...).When(tc.decide).Then(t, tc.then...)
		})
	}
}
