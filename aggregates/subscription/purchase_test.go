package subscription_test

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

func TestAPurchaseAwaitingThreeDSecure(t *testing.T) {
	t.Parallel()
	half := t0.Add(t1.Sub(t0) / 2)
	phase := subscription.Phase{Terms: monthly, Quantity: 1, PaidBy: 600}
	renewal := subscription.Purchase{Kind: subscription.PurchaseRenewal, InvoiceID: 600, Phase: &phase, At: half}
	upgrade := subscription.Change{Terms: yearly, Quantity: 1, PeriodAmount: 10000}
	// another interval: a new period at the full 10000 less the unused half of the 1000 billed
	change := subscription.Purchase{Kind: subscription.PurchaseChange, InvoiceID: 601, Change: &upgrade,
		Charged: 10000 - 500, At: half}
	awaiting := func(p subscription.Purchase) subscription.PurchaseAwaitingPayment {
		return subscription.PurchaseAwaitingPayment{SubscriptionID: 1, Purchase: p, AwaitingSince: half}
	}
	await := func(p subscription.Purchase) func(subscription.State) ([]subscription.Event, error) {
		return func(s subscription.State) ([]subscription.Event, error) { return subscription.AwaitPayment(s, p, half) }
	}
	settle := func(invoiceID int64) func(subscription.State) ([]subscription.Event, error) {
		return func(s subscription.State) ([]subscription.Event, error) {
			return subscription.SettlePurchase(s, invoiceID, half)
		}
	}
	settled := func(invoiceID int64, refusal string) subscription.PurchaseSettled {
		return subscription.PurchaseSettled{SubscriptionID: 1, InvoiceID: invoiceID, Applied: refusal == "",
			Refusal: refusal, SettledAt: half}
	}
	// given a running subscription, when a renewal awaits 3-D Secure, then it is recorded and nothing applied
	spec.Given(created()).When(await(renewal)).Then(t, awaiting(renewal))
	// and recording it again is a no-op, while another purchase meanwhile is refused
	spec.Given(created(), awaiting(renewal)).When(await(renewal)).Then(t)
	spec.Given(created(), awaiting(renewal)).When(await(change)).ThenError(t, subscription.ErrPaymentPending)
	renew := func(s subscription.State) ([]subscription.Event, error) {
		return subscription.AddPhase(s, subscription.Renew{Phase: subscription.Phase{Terms: monthly, Quantity: 1}}, half)
	}
	spec.Given(created(), awaiting(renewal)).When(renew).ThenError(t, subscription.ErrPaymentPending)
	// when its invoice is paid, then the renewal's phase is added; another invoice settles nothing
	spec.Given(created(), awaiting(renewal)).When(settle(600)).Then(t, settled(600, ""),
		subscription.PhaseAdded{SubscriptionID: 1, Phase: phase, AddedAt: half})
	spec.Given(created(), awaiting(renewal)).When(settle(999)).Then(t)
	spec.Given(created(), awaiting(renewal), settled(600, "")).When(settle(600)).Then(t)
	// a change applies at the instant it was prorated
	spec.Given(created(), awaiting(change)).When(settle(601)).Then(t, settled(601, ""),
		subscription.PlanChanged{SubscriptionID: 1, Terms: yearly, Quantity: 1, PeriodStart: half,
			PeriodEnd: yearly.PeriodEnd(half), PeriodAmount: 10000, InvoiceID: 601, Charged: 9500, ChangedAt: half})
	// but a subscription that moved on meanwhile (renewed, ended) settles it unapplied, with the reason
	spec.Given(created(), awaiting(change), renewed()).When(settle(601)).Then(t,
		settled(601, subscription.ErrPeriodMoved.Error()))
	ended := subscription.Ended{SubscriptionID: 1, Status: subscription.StatusCanceled, EndedAt: half}
	spec.Given(created(), awaiting(renewal), ended).When(settle(600)).Then(t, settled(600, subscription.ErrEnded.Error()))
	spec.Given().When(settle(600)).ThenError(t, subscription.ErrNotFound)
}

func TestAPaidPurchaseIsNotHeldBackByAPaymentUnderWay(t *testing.T) {
	t.Parallel()
	half := t0.Add(t1.Sub(t0) / 2)
	phase := subscription.Phase{Terms: monthly, Quantity: 1, PaidBy: 600}
	renewal := subscription.Purchase{Kind: subscription.PurchaseRenewal, InvoiceID: 600, Phase: &phase, At: half}
	awaiting := subscription.PurchaseAwaitingPayment{SubscriptionID: 1, Purchase: renewal, AwaitingSince: half}
	settle := func(s subscription.State) ([]subscription.Event, error) {
		return subscription.SettlePurchase(s, 600, t1)
	}
	unpaid := subscription.Phase{Terms: monthly, Quantity: 1}
	renew := func(p subscription.Phase) func(subscription.State) ([]subscription.Event, error) {
		return func(s subscription.State) ([]subscription.Event, error) {
			return subscription.AddPhase(s, subscription.Renew{Phase: p}, t1)
		}
	}
	gift := subscription.Phase{Terms: monthly, Quantity: 1, PaidBy: 610}
	addGift := func(s subscription.State) ([]subscription.Event, error) {
		return subscription.AddGiftPhase(s, gift, t1)
	}
	given := gift
	given.Coupon, given.Gift = &subscription.GiftCoupon, true
	otherPurchase := awaiting
	incomplete := created()
	incomplete.Status = subscription.StatusIncomplete
	otherPurchase.Purchase.InvoiceID = 700
	tests := []struct {
		name  string
		given []subscription.Event
		when  func(subscription.State) ([]subscription.Event, error)
		then  []subscription.Event
		err   error
	}{
		{name: "the renewal whose 3-D Secure completed while the next period's charge runs is applied",
			given: []subscription.Event{created(), awaiting, renewed()}, when: settle,
			then: []subscription.Event{
				subscription.PurchaseSettled{SubscriptionID: 1, InvoiceID: 600, Applied: true, SettledAt: t1},
				subscription.PhaseAdded{SubscriptionID: 1, Phase: phase, AddedAt: t1}}},
		{name: "a gift term paid by the donor joins a recipient's subscription whose renewal is being charged",
			given: []subscription.Event{created(), renewed()}, when: addGift,
			then: []subscription.Event{subscription.PhaseAdded{SubscriptionID: 1, Phase: given, AddedAt: t1}}},
		{name: "and one whose own purchase awaits 3-D Secure",
			given: []subscription.Event{created(), otherPurchase}, when: addGift,
			then: []subscription.Event{subscription.PhaseAdded{SubscriptionID: 1, Phase: given, AddedAt: t1}}},
		{name: "a subscription not running yet keeps the paid renewal waiting, unsettled, for a retry",
			given: []subscription.Event{incomplete, awaiting}, when: settle, err: subscription.ErrPaymentPending},
		{name: "a renewal not paid yet is still refused while a charge runs",
			given: []subscription.Event{created(), renewed()}, when: renew(unpaid), err: subscription.ErrPaymentPending},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.err != nil {
				spec.Given(tc.given...).When(tc.when).ThenError(t, tc.err)
				return
			}
			spec.Given(tc.given...).When(tc.when).Then(t, tc.then...)
		})
	}
}
