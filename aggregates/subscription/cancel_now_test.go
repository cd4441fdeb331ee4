package subscription_test

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

func TestImmediateCancellation(t *testing.T) {
	t.Parallel()
	half := t0.Add(t1.Sub(t0) / 2)
	allowed := subscription.Cancel{Reason: "moving", ImmediateAllowed: true}
	start := func(c subscription.Cancel) func(subscription.State) ([]subscription.Event, error) {
		return func(s subscription.State) ([]subscription.Event, error) {
			return subscription.StartImmediateCancel(s, c, half)
		}
	}
	finish := func(s subscription.State) ([]subscription.Event, error) {
		return subscription.FinishImmediateCancel(s, s.ImmediateRefund())
	}
	started := subscription.CancellationScheduled{SubscriptionID: 1, Mode: subscription.CancelNow, Reason: "moving",
		CancelAt: half, ScheduledAt: half}
	// given a running subscription, when it is cancelled now, then the instant is recorded first
	spec.Given(created()).When(start(allowed)).Then(t, started)
	// and starting again is a no-op (a retry, or a concurrent request, finishes the same cancellation)
	spec.Given(created(), started).When(start(allowed)).Then(t)
	// refused when the account does not allow it, or for a gift received
	spec.Given(created()).When(start(subscription.Cancel{})).ThenError(t, subscription.ErrImmediateCancellationDisabled)
	recipient := created()
	recipient.Type = subscription.TypeGiftRecipient
	spec.Given(recipient).When(start(allowed)).ThenError(t, subscription.ErrGiftRecipient)
	// finishing ends it at the recorded instant with the unused half of the period refunded
	spec.Given(created(), started).When(finish).Then(t, subscription.Ended{SubscriptionID: 1,
		Status: subscription.StatusCanceled, Reason: "moving", By: subscription.ByCustomer, Refund: 500, EndedAt: half})
	// once: finishing an ended subscription is a no-op; one not cancelled now is not due
	ended := subscription.Ended{SubscriptionID: 1, Status: subscription.StatusCanceled, EndedAt: half}
	spec.Given(created(), started, ended).When(finish).Then(t)
	spec.Given(created()).When(finish).ThenError(t, subscription.ErrNotDue)
	spec.Given().When(finish).ThenError(t, subscription.ErrNotFound)
}

func TestTheInvoicesOfAPeriod(t *testing.T) {
	t.Parallel()
	// given a subscription created with invoice 500 and renewed with invoice 501
	s := fold(created())
	if s.PeriodInvoice != 500 || s.LatestInvoice != 500 {
		t.Fatalf("created: period invoice %d, latest %d; want 500, 500", s.PeriodInvoice, s.LatestInvoice)
	}
	s = fold(created(), renewed())
	if s.PeriodInvoice != 501 || s.LatestInvoice != 501 {
		t.Fatalf("renewed: period invoice %d, latest %d; want 501, 501", s.PeriodInvoice, s.LatestInvoice)
	}
	// when a phase paid in advance by invoice 502 starts, it is that period's invoice
	prepaid := renewed()
	prepaid.FromPhase, prepaid.InvoiceID, prepaid.Phase.PaidBy = true, 0, 502
	s = fold(created(), subscription.PhaseAdded{SubscriptionID: 1, Phase: prepaid.Phase, AddedAt: t0}, prepaid)
	if s.PeriodInvoice != 502 || s.LatestInvoice != 500 {
		t.Fatalf("prepaid phase: period invoice %d, latest %d; want 502, 500", s.PeriodInvoice, s.LatestInvoice)
	}
}
