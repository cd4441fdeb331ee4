package commands_test

import (
	"slices"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

func TestBillingARenewalTooLargeForOneCharge(t *testing.T) {
	t.Parallel()
	// given a subscription whose next period comes to more than one charge takes (10000 × 100.00)
	w := newBillingWorld(t)
	customer := w.register(t, "ann@example.com", "ann")
	big := monthlyTerms
	big.Amount = 10_000
	id := w.subscribe(t, customer, w.saveCard(t, customer, "tok_visa"), big, billingStart)
	w.decide(t, id, func(s subscription.State) ([]subscription.Event, error) {
		return subscription.AddPhase(s, subscription.Renew{Phase: subscription.Phase{Terms: big, Quantity: 10_000}}, billingStart)
	})
	// when the clock reaches its renewal
	done, err := w.bill(t, id, firstRenewal)
	// then the run does not fail: the renewal ends the subscription, reported with its reason
	if err != nil {
		t.Fatalf("BillDue() error = %v", err)
	}
	if got, want := outcomes(done), []string{"renew:canceled"}; !slices.Equal(got, want) ||
		done[0].Detail != subscription.ReasonAmountTooLarge || done[0].InvoiceID != 0 {
		t.Fatalf("items %v %+v, want %v with detail %s and no invoice", got, done, want, subscription.ReasonAmountTooLarge)
	}
	s := w.read(t, id)
	if s.Status != subscription.StatusCanceled || s.CancelReason != subscription.ReasonAmountTooLarge ||
		!s.EndedAt.Equal(firstRenewal) || w.charges(t) != 0 {
		t.Errorf("subscription %s (%s) ended at %v, %d charges; want canceled (%s) at %v, nothing charged", s.Status,
			s.CancelReason, s.EndedAt, w.charges(t), subscription.ReasonAmountTooLarge, firstRenewal)
	}
	// and a later run finds nothing left to do
	if again, err := w.bill(t, id, firstRenewal.AddDate(0, 2, 0)); err != nil || len(again) != 0 {
		t.Errorf("later run: %v, %v; want nothing", outcomes(again), err)
	}
}

func TestABillingRunGoesOnPastARenewalTooLargeForOneCharge(t *testing.T) {
	t.Parallel()
	// given a subscription too large to bill beside an ordinary one
	w := newBillingWorld(t)
	customer := w.register(t, "ann@example.com", "ann")
	card := w.saveCard(t, customer, "tok_visa")
	big := monthlyTerms
	big.Amount = 10_000
	tooLarge := w.subscribe(t, customer, card, big, billingStart)
	w.decide(t, tooLarge, func(s subscription.State) ([]subscription.Event, error) {
		return subscription.AddPhase(s, subscription.Renew{Phase: subscription.Phase{Terms: big, Quantity: 10_000}}, billingStart)
	})
	ordinary := w.subscribe(t, customer, card, monthlyTerms, billingStart)
	// when a run reaches both renewals
	c := startClock(t, w)
	c.run(t, firstRenewal, 1) // fails the test when the run fails
	// then the ordinary one is renewed and paid, the other ended, and a run after it has nothing to redo
	if s := w.read(t, ordinary); s.Status != subscription.StatusActive || !s.PeriodStart.Equal(firstRenewal) {
		t.Errorf("ordinary subscription %s from %v; want active from %v", s.Status, s.PeriodStart, firstRenewal)
	}
	if s := w.read(t, tooLarge); s.Status != subscription.StatusCanceled || s.CancelReason != subscription.ReasonAmountTooLarge {
		t.Errorf("subscription too large %s (%s); want canceled (%s)", s.Status, s.CancelReason, subscription.ReasonAmountTooLarge)
	}
	c.run(t, firstRenewal.AddDate(0, 0, 10), 1)
	if twice := c.doneTwice(); len(twice) > 0 || w.charges(t) != 1 {
		t.Errorf("done twice: %v; %d charges, want 1", twice, w.charges(t))
	}
}
