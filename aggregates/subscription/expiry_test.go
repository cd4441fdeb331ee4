package subscription_test

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

func TestAPaymentAwaitingThreeDSecureExpires(t *testing.T) {
	t.Parallel()
	half := t0.Add(t1.Sub(t0) / 2)
	deadline := half.Add(subscription.PaymentDeadline)
	phase := subscription.Phase{Terms: monthly, Quantity: 1, PaidBy: 600}
	awaiting := subscription.PurchaseAwaitingPayment{SubscriptionID: 1, AwaitingSince: half,
		Purchase: subscription.Purchase{Kind: subscription.PurchaseRenewal, InvoiceID: 600, Phase: &phase, At: half}}
	incomplete := created()
	incomplete.Status = subscription.StatusIncomplete
	byInvoice := incomplete
	byInvoice.Billing = subscription.BillingSendInvoice
	expire := func(at time.Time) func(subscription.State) ([]subscription.Event, error) {
		return func(s subscription.State) ([]subscription.Event, error) { return subscription.ExpirePayment(s, at) }
	}
	abandoned := subscription.PurchaseAbandoned{SubscriptionID: 1, InvoiceID: 600, AbandonedAt: deadline}
	ended := subscription.Ended{SubscriptionID: 1, Status: subscription.StatusCanceled, EndedAt: half}
	tests := []struct {
		name  string
		given []subscription.Event
		at    time.Time
		then  []subscription.Event
		err   error
	}{
		{name: "a renewal awaiting 3-D Secure is abandoned at its deadline, the subscription as it was",
			given: []subscription.Event{created(), awaiting}, at: deadline, then: []subscription.Event{abandoned}},
		{name: "not before", given: []subscription.Event{created(), awaiting}, at: deadline.Add(-time.Second),
			err: subscription.ErrNotDue},
		{name: "nor once settled", given: []subscription.Event{created(), awaiting,
			subscription.PurchaseSettled{SubscriptionID: 1, InvoiceID: 600, Applied: true, SettledAt: half}},
			at: deadline, err: subscription.ErrNotDue},
		{name: "nor twice", given: []subscription.Event{created(), awaiting, abandoned}, at: deadline,
			err: subscription.ErrNotDue},
		{name: "a subscription that ended meanwhile still gives up the purchase's invoice",
			given: []subscription.Event{created(), awaiting, ended}, at: deadline, then: []subscription.Event{abandoned}},
		{name: "a new subscription never paid ends incomplete_expired",
			given: []subscription.Event{incomplete}, at: t0.Add(subscription.PaymentDeadline),
			then: []subscription.Event{subscription.Ended{SubscriptionID: 1, Status: subscription.StatusIncompleteExpired,
				Reason: subscription.ReasonPaymentExpired, By: subscription.BySystem, EndedAt: t0.Add(subscription.PaymentDeadline)}}},
		{name: "one paid meanwhile does not",
			given: []subscription.Event{incomplete, subscription.PaymentSucceeded{SubscriptionID: 1, InvoiceID: 500,
				Amount: 1000, PaidAt: t0}}, at: t0.Add(subscription.PaymentDeadline), err: subscription.ErrNotDue},
		{name: "nor one paid by invoice, which waits for the customer", given: []subscription.Event{byInvoice},
			at: t1, err: subscription.ErrNotDue},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.err != nil {
				spec.Given(tc.given...).When(expire(tc.at)).ThenError(t, tc.err)
				return
			}
			spec.Given(tc.given...).When(expire(tc.at)).Then(t, tc.then...)
		})
	}
	t.Run("after the abandon, the subscription takes renewals again", func(t *testing.T) {
		t.Parallel()
		spec.Given(created(), awaiting, abandoned).When(func(s subscription.State) ([]subscription.Event, error) {
			return subscription.AddPhase(s, subscription.Renew{Phase: subscription.Phase{Terms: monthly, Quantity: 1}}, deadline)
		}).Then(t, subscription.PhaseAdded{SubscriptionID: 1, Phase: subscription.Phase{Terms: monthly, Quantity: 1},
			AddedAt: deadline})
	})
}
