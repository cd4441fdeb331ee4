package subscription_test

import (
	"slices"
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
		return subscription.FinishImmediateCancel(s, s.ImmediateRefund(), 0)
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
	// a discounted period refunds from what it was billed, not from the plan's price
	discounted := created()
	discounted.Coupon, discounted.PeriodAmount = tenOff, 900
	spec.Given(discounted, started).When(finish).Then(t, subscription.Ended{SubscriptionID: 1,
		Status: subscription.StatusCanceled, Reason: "moving", By: subscription.ByCustomer, Refund: 450, EndedAt: half})
	// once: finishing an ended subscription is a no-op; one not cancelled now is not due
	ended := subscription.Ended{SubscriptionID: 1, Status: subscription.StatusCanceled, EndedAt: half}
	spec.Given(created(), started, ended).When(finish).Then(t)
	spec.Given(created()).When(finish).ThenError(t, subscription.ErrNotDue)
	spec.Given().When(finish).ThenError(t, subscription.ErrNotFound)
}

func TestTheInvoicesThatFundASubscription(t *testing.T) {
	t.Parallel()
	half := t0.Add(t1.Sub(t0) / 2)
	prepaid := renewed()
	prepaid.FromPhase, prepaid.InvoiceID, prepaid.Phase.PaidBy = true, 0, 502
	upgraded := subscription.PlanChanged{SubscriptionID: 1, Terms: yearly, Quantity: 1, PeriodStart: half,
		PeriodEnd: half.AddDate(1, 0, 0), PeriodAmount: 10000, InvoiceID: 503, Charged: 9500, ChangedAt: half}
	downgraded := subscription.PlanChanged{SubscriptionID: 1, Terms: monthly, Quantity: 1, PeriodStart: t0,
		PeriodEnd: t1, PeriodAmount: 1000, Credited: 1500, ChangedAt: half}
	gifted := renewed()
	gifted.FromPhase, gifted.InvoiceID, gifted.Amount = true, 0, 0
	gifted.Phase.PaidBy, gifted.Phase.Gift = 700, true
	usingCredit := renewed()
	usingCredit.InvoiceID, usingCredit.Amount, usingCredit.CreditUsed = 0, 1000, 1000
	for _, c := range []struct {
		name    string
		given   []subscription.Event
		funding []int64
		latest  int64
	}{
		{"created: its first invoice", []subscription.Event{created()}, []int64{500}, 500},
		{"renewed: the new period's invoice alone", []subscription.Event{created(), renewed()}, []int64{501}, 501},
		{"a phase paid in advance: the invoice that paid it", []subscription.Event{created(),
			subscription.PhaseAdded{SubscriptionID: 1, Phase: prepaid.Phase, AddedAt: t0}, prepaid}, []int64{502}, 500},
		{"an upgrade's proration: added to the period's", []subscription.Event{created(), upgraded},
			[]int64{500, 503}, 503},
		{"a renewal paid by credit: what paid the credit still funds it", []subscription.Event{created(),
			downgraded, usingCredit}, []int64{500}, 500},
		{"a gift's term: the donor's invoice funds nothing of the customer's", []subscription.Event{created(),
			downgraded, subscription.PhaseAdded{SubscriptionID: 1, Phase: gifted.Phase, AddedAt: t0}, gifted},
			[]int64{500}, 500},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := fold(c.given...)
			if !slices.Equal(s.Funding, c.funding) || s.LatestInvoice != c.latest {
				t.Errorf("funding %v, latest %d; want %v, %d", s.Funding, s.LatestInvoice, c.funding, c.latest)
			}
		})
	}
	// a credit kept for many periods never grows the state past the last twelve invoices
	events := []subscription.Event{created(), downgraded}
	for n := range int64(20) {
		next := renewed()
		next.InvoiceID, next.CreditUsed = 600+n, 1
		events = append(events, next)
	}
	if s := fold(events...); len(s.Funding) != 12 || s.Funding[11] != 619 {
		t.Errorf("funding %v; want the last twelve, ending with 619", s.Funding)
	}
}

func TestAnImmediateCancellationRefundsTheCreditLeft(t *testing.T) {
	t.Parallel()
	half := t0.Add(t1.Sub(t0) / 2)
	// given a subscription holding 300 of credit, cancelled now half way through a period billed 1000
	s := fold(created(), subscription.PlanChanged{SubscriptionID: 1, Terms: monthly, Quantity: 1, PeriodStart: t0,
		PeriodEnd: t1, PeriodAmount: 1000, Credited: 300, ChangedAt: t0},
		subscription.CancellationScheduled{SubscriptionID: 1, Mode: subscription.CancelNow, CancelAt: half,
			ScheduledAt: half})
	// then it owes back the unused half and the credit
	if got := s.ImmediateRefund(); got != 500+300 {
		t.Errorf("refund %d, want 800", got)
	}
}
