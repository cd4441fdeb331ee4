package subscription_test

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// TestCancellingNowAbandonsThePurchaseAwaiting3DSecure: a renewal or plan change waiting for 3-D Secure when
// the subscription is cancelled now is abandoned with the cancellation, once the caller voided its invoice,
// so nothing waits on a subscription that ended; a purchase whose invoice was not voided keeps waiting (its
// deadline, or its payment's refund, settles it).
func TestCancellingNowAbandonsThePurchaseAwaiting3DSecure(t *testing.T) {
	t.Parallel()
	half := t0.Add(t1.Sub(t0) / 2)
	phase := subscription.Phase{Terms: monthly, Quantity: 1, PaidBy: 600}
	renewal := subscription.PurchaseAwaitingPayment{SubscriptionID: 1, AwaitingSince: half,
		Purchase: subscription.Purchase{Kind: subscription.PurchaseRenewal, InvoiceID: 600, Phase: &phase, At: half}}
	change := subscription.PurchaseAwaitingPayment{SubscriptionID: 1, AwaitingSince: half,
		Purchase: subscription.Purchase{Kind: subscription.PurchaseChange, InvoiceID: 600, At: half,
			Change: &subscription.Change{Terms: yearly, Quantity: 1}, Charged: 9500}}
	started := subscription.CancellationScheduled{SubscriptionID: 1, Mode: subscription.CancelNow, Reason: "moving",
		CancelAt: half, ScheduledAt: half}
	abandoned := subscription.PurchaseAbandoned{SubscriptionID: 1, InvoiceID: 600, AbandonedAt: half}
	ended := subscription.Ended{SubscriptionID: 1, Status: subscription.StatusCanceled, Reason: "moving",
		By: subscription.ByCustomer, Refund: 500, EndedAt: half}
	finish := func(voided int64) func(subscription.State) ([]subscription.Event, error) {
		return func(s subscription.State) ([]subscription.Event, error) {
			return subscription.FinishImmediateCancel(s, 500, voided)
		}
	}
	tests := []struct {
		name   string
		given  []subscription.Event
		voided int64
		then   []subscription.Event
	}{
		{"a renewal awaiting is abandoned, then the subscription ends", []subscription.Event{created(), renewal,
			started}, 600, []subscription.Event{abandoned, ended}},
		{"so is a plan change", []subscription.Event{created(), change, started}, 600,
			[]subscription.Event{abandoned, ended}},
		{"one whose invoice the caller did not void keeps waiting", []subscription.Event{created(), renewal,
			started}, 0, []subscription.Event{ended}},
		{"another invoice voided abandons nothing", []subscription.Event{created(), renewal, started}, 601,
			[]subscription.Event{ended}},
		{"nothing awaited: the end alone", []subscription.Event{created(), started}, 600,
			[]subscription.Event{ended}},
		{"once: an ended subscription is a no-op", []subscription.Event{created(), renewal, started, abandoned,
			ended}, 600, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			spec.Given(tt.given...).When(finish(tt.voided)).Then(t, tt.then...)
		})
	}
}
