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
		return subscription.AddPhase(s, subscription.Renew{Phase: phase}, half)
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
