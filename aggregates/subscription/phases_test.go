package subscription_test

import (
	"errors"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/pricing"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

func TestAddPhase(t *testing.T) {
	t.Parallel()
	phase := subscription.Phase{Terms: yearly, Quantity: 1, PaidBy: 600}
	add := func(c subscription.Renew) func(subscription.State) ([]subscription.Event, error) {
		return func(s subscription.State) ([]subscription.Event, error) { return subscription.AddPhase(s, c, t0) }
	}
	spec.Given(created()).When(add(subscription.Renew{Phase: phase})).
		Then(t, subscription.PhaseAdded{SubscriptionID: 1, Phase: phase, AddedAt: t0})

	full := []subscription.Event{created()}
	for range subscription.MaxPhases {
		full = append(full, subscription.PhaseAdded{SubscriptionID: 1, Phase: phase, AddedAt: t0})
	}
	spec.Given(full...).When(add(subscription.Renew{Phase: phase})).ThenError(t, subscription.ErrTooManyPhases)
	spec.Given(full...).When(add(subscription.Renew{Phase: phase, ReplaceUpcoming: true})).ThenError(t, subscription.ErrPhasesPaid)
	unpaid := subscription.Phase{Terms: yearly, Quantity: 1}
	spec.Given(created(), subscription.PhaseAdded{SubscriptionID: 1, Phase: unpaid, AddedAt: t0}).
		When(add(subscription.Renew{Phase: phase, ReplaceUpcoming: true})).
		Then(t, subscription.PhaseAdded{SubscriptionID: 1, Phase: phase, ReplacedUpcoming: true, AddedAt: t0})

	eur := phase
	eur.Terms.Currency = "eur"
	spec.Given(created()).When(add(subscription.Renew{Phase: eur})).ThenError(t, subscription.ErrCurrencyMismatch)

	t.Run("a cancellation at the last period's end moves with the new last period", func(t *testing.T) {
		t.Parallel()
		spec.Given(created(), subscription.CancellationScheduled{SubscriptionID: 1, Mode: subscription.CancelAtLastPeriodEnd,
			CancelAt: t1, ScheduledAt: t0}).When(add(subscription.Renew{Phase: phase})).
			Then(t, subscription.PhaseAdded{SubscriptionID: 1, Phase: phase, AddedAt: t0},
				subscription.CancellationScheduled{SubscriptionID: 1, Mode: subscription.CancelAtLastPeriodEnd,
					CancelAt: t1.AddDate(1, 0, 0), ScheduledAt: t0})
	})
}

func TestChangePlan(t *testing.T) {
	t.Parallel()
	half := t0.Add(t1.Sub(t0) / 2)
	premium := monthly
	premium.PlanID, premium.Amount = 4054, 3000
	change := func(c subscription.Change, invoiceID int64) func(subscription.State) ([]subscription.Event, error) {
		return func(s subscription.State) ([]subscription.Event, error) {
			return subscription.ChangePlan(s, c, invoiceID, half)
		}
	}
	t.Run("an upgrade half way is charged half the difference at once", func(t *testing.T) {
		t.Parallel()
		up := subscription.Change{Terms: premium, Quantity: 1, PeriodAmount: 3000}
		if net := fold(created()).Proration(up, half).Net(); net != 1000 {
			t.Fatalf("net proration %d, want 1000", net)
		}
		spec.Given(created()).When(change(up, 502)).Then(t, subscription.PlanChanged{SubscriptionID: 1, Terms: premium,
			Quantity: 1, PeriodStart: t0, PeriodEnd: t1, PeriodAmount: 3000, InvoiceID: 502, Charged: 1000, ChangedAt: half})
	})
	t.Run("a downgrade half way becomes credit used by the next invoices", func(t *testing.T) {
		t.Parallel()
		cheap := monthly
		cheap.PlanID, cheap.Amount = 4055, 0
		down := subscription.Change{Terms: cheap, Quantity: 1}
		spec.Given(created()).When(change(down, 0)).Then(t, subscription.PlanChanged{SubscriptionID: 1, Terms: cheap,
			Quantity: 1, PeriodStart: t0, PeriodEnd: t1, Credited: 500, ChangedAt: half})
	})
	t.Run("another interval starts a new period now at the full price less the unused part", func(t *testing.T) {
		t.Parallel()
		c := subscription.Change{Terms: yearly, Quantity: 1, PeriodAmount: 10000}
		spec.Given(created()).When(change(c, 503)).Then(t, subscription.PlanChanged{SubscriptionID: 1, Terms: yearly,
			Quantity: 1, PeriodStart: half, PeriodEnd: half.AddDate(1, 0, 0), PeriodAmount: 10000, InvoiceID: 503,
			Charged: 9500, ChangedAt: half})
	})
	t.Run("the credit a downgrade left pays the next upgrade before anything is charged", func(t *testing.T) {
		t.Parallel()
		credit := func(amount int64) subscription.PlanChanged {
			return subscription.PlanChanged{SubscriptionID: 1, Terms: monthly, Quantity: 1, PeriodStart: t0,
				PeriodEnd: t1, PeriodAmount: 1000, Credited: amount, ChangedAt: t0}
		}
		up := subscription.Change{Terms: premium, Quantity: 1, PeriodAmount: 3000}
		// given 400 of credit, when upgrading for a net of 1000, then 400 is used and 600 charged
		spec.Given(created(), credit(400)).When(change(up, 502)).Then(t, subscription.PlanChanged{SubscriptionID: 1,
			Terms: premium, Quantity: 1, PeriodStart: t0, PeriodEnd: t1, PeriodAmount: 3000, InvoiceID: 502,
			Charged: 600, CreditUsed: 400, ChangedAt: half})
		// given more credit than the net, then the credit pays it all: no invoice, the rest kept
		spec.Given(created(), credit(1500)).When(change(up, 0)).Then(t, subscription.PlanChanged{SubscriptionID: 1,
			Terms: premium, Quantity: 1, PeriodStart: t0, PeriodEnd: t1, PeriodAmount: 3000, CreditUsed: 1000,
			ChangedAt: half})
		left := fold(created(), credit(1500), subscription.PlanChanged{SubscriptionID: 1, Terms: premium,
			Quantity: 1, PeriodStart: t0, PeriodEnd: t1, PeriodAmount: 3000, CreditUsed: 1000, ChangedAt: half})
		if left.Credit != 500 {
			t.Errorf("credit left %d, want 500", left.Credit)
		}
	})
	t.Run("the same plan and quantity is refused", func(t *testing.T) {
		t.Parallel()
		spec.Given(created()).When(change(subscription.Change{Terms: monthly, Quantity: 1, PeriodAmount: 1000}, 0)).
			ThenError(t, subscription.ErrSamePlan)
	})
	t.Run("a change waits for the end of the gift's terms", func(t *testing.T) {
		t.Parallel()
		up := subscription.Change{Terms: premium, Quantity: 1, PeriodAmount: 3000}
		gift := started(1, giftPhase(0), true, t1, t2, 0, 0)
		again := started(2, giftPhase(0), true, t2, t3, 0, 0) // a second term the donor added (#33)
		// given a gift's term running, or a second one after it, then a change is refused
		for _, given := range [][]subscription.Event{{created(), gift}, {created(), gift, again}} {
			if _, err := subscription.ChangePlan(fold(given...), up, 502, t1.Add(time.Hour)); !errors.Is(err, subscription.ErrInGiftTerm) {
				t.Errorf("change after %d events: %v, want ErrInGiftTerm", len(given), err)
			}
		}
		// given the subscription's own terms back, then it changes
		own := started(2, subscription.Phase{Terms: monthly, Quantity: 1}, false, t2, t3, 0, 0)
		if _, err := subscription.ChangePlan(fold(created(), gift, own), up, 502, t2.Add(time.Hour)); err != nil {
			t.Errorf("change on the own terms again: %v", err)
		}
	})
}

func TestRedeemGift(t *testing.T) {
	t.Parallel()
	donor := created()
	donor.Type, donor.GiftCode = subscription.TypeGiftDonor, "GIFT-ABCD-EFGH"
	redeemed := subscription.GiftRedeemed{SubscriptionID: 1, RecipientCustomerID: 43, RecipientSubscriptionID: 2, RedeemedAt: t0}
	redeem := func(recipient, into int64) func(subscription.State) ([]subscription.Event, error) {
		return func(s subscription.State) ([]subscription.Event, error) {
			return subscription.RedeemGift(s, recipient, into, t0)
		}
	}
	spec.Given(donor).When(redeem(43, 2)).Then(t, redeemed)
	spec.Given(donor, redeemed).When(redeem(43, 2)).Then(t)
	spec.Given(donor, redeemed).When(redeem(44, 3)).ThenError(t, subscription.ErrGiftRedeemed)
	spec.Given(created()).When(redeem(43, 2)).ThenError(t, subscription.ErrNotGift)
	// the donor (customer 42) redeeming the gift they gave is refused, and nothing is recorded
	spec.Given(donor).When(redeem(42, 2)).ThenError(t, subscription.ErrOwnGift)
	unpaid := donor
	unpaid.Status = subscription.StatusIncomplete
	spec.Given(unpaid).When(redeem(43, 2)).ThenError(t, subscription.ErrGiftUnpaid)
	for code, want := range map[string]bool{"GIFT-ABCD-EFGH": true, "GIFT-ABCD-EFG0": false, "GIFT-ABCDEFGH": false, "gift-abcd-efgh": false} {
		if subscription.IsGiftCode(code) != want {
			t.Errorf("IsGiftCode(%q) = %v, want %v", code, !want, want)
		}
	}
}

func TestARepeatingCouponAChangeGaveCountsFromThePeriodItLeaves(t *testing.T) {
	t.Parallel()
	// given a subscription without coupon changed, in its first month, to a plan with a two-month coupon
	twoMonths := &subscription.Coupon{ID: 79, Code: "TWO", PercentOff: pricing.RateFromPercent(50),
		Duration: subscription.DurationRepeating, DurationInMonths: 2}
	dearer := monthly
	dearer.PlanID, dearer.Amount = 4054, 2000
	s := fold(created(), subscription.PlanChanged{SubscriptionID: 1, Terms: dearer, Quantity: 1, Coupon: twoMonths,
		PeriodStart: t0, PeriodEnd: t1, PeriodAmount: 1000, ChangedAt: t0.Add(days(3))})
	// when the billing clock prices the renewal a month later
	next, _ := s.Upcoming()
	// then the coupon still discounts it: its months count from the period the change left it in
	if !s.CouponApplies(next) || !s.CouponSince.Equal(t0) {
		t.Errorf("the coupon applies to the renewal: %t (counting from %s), want true from %s", s.CouponApplies(next),
			s.CouponSince, t0)
	}
}
