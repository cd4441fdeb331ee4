package subscription_test

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/pricing"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

var (
	// giftPlan is the plan of a gift redeemed onto a regular subscription, not the subscription's own.
	giftPlan = subscription.Terms{PlanID: 4060, ProductID: 10, Amount: 1500, Currency: "usd", Interval: "month",
		IntervalCount: 1, AutoRenew: true}
	t2 = time.Date(2026, 4, 3, 9, 0, 0, 0, time.UTC) // the end of the gift's month started at t1
	t3 = time.Date(2026, 5, 3, 9, 0, 0, 0, time.UTC)
)

// giftPhase is a term of donor 9's gift as the recipient's subscription 1 holds it: free, at address 5.
func giftPhase(paidBy int64) subscription.Phase {
	free := subscription.GiftCoupon
	return subscription.Phase{Terms: giftPlan, Quantity: 1, Coupon: &free, AddressID: 5, PaidBy: paidBy, Gift: true,
		GiftOf: 9}
}

// started is the period of phase from start to end, from a phase or not, billing invoiceID for amount.
func started(cycle int, phase subscription.Phase, fromPhase bool, start, end time.Time, invoiceID, amount int64) subscription.PeriodStarted {
	return subscription.PeriodStarted{SubscriptionID: 1, Cycle: cycle, Phase: phase, FromPhase: fromPhase,
		PeriodStart: start, PeriodEnd: end, InvoiceID: invoiceID, Amount: amount, StartedAt: start}
}

// ownTermsCase is a subscription's history through a gift's terms and what follows them.
type ownTermsCase struct {
	name string
	// given the subscription's events up to the end of the gift's terms at end (cycle the last one)
	given []subscription.Event
	end   time.Time
	cycle int
	// then the next period is next, its coupon applying or not, and the one after it too (after)
	next         subscription.Phase
	fromPhase    bool
	applies      bool
	appliesAfter bool
}

func TestAGiftsTermEndsOnTheSubscriptionsOwnTerms(t *testing.T) {
	t.Parallel()
	coupon := func(duration string, months int64) *subscription.Coupon {
		return &subscription.Coupon{ID: 88, Code: "OWN20", PercentOff: pricing.RateFromPercent(20),
			Duration: duration, DurationInMonths: months}
	}
	withCoupon := func(c *subscription.Coupon) subscription.Created {
		e := created()
		e.Coupon, e.AddressID = c, 5
		return e
	}
	own := func(c *subscription.Coupon) subscription.Phase {
		return subscription.Phase{Terms: monthly, Quantity: 1, Coupon: c, AddressID: 5}
	}
	giftAdded := subscription.PhaseAdded{SubscriptionID: 1, Phase: giftPhase(0), AddedAt: t0}
	giftStarted := started(2, giftPhase(0), true, t1, t2, 0, 0)
	oneOff := giftPhase(0) // a gift of a plan that does not renew by itself
	oneOff.Terms.AutoRenew = false
	dearer := monthly
	dearer.PlanID, dearer.Amount = 4054, 2000
	tests := []ownTermsCase{
		{name: "no coupon of its own: the full price", given: []subscription.Event{withCoupon(nil), giftAdded,
			giftStarted}, end: t2, cycle: 2, next: own(nil)},
		{name: "a forever coupon still discounts", given: []subscription.Event{withCoupon(coupon(subscription.DurationForever, 0)),
			giftAdded, giftStarted}, end: t2, cycle: 2, next: own(coupon(subscription.DurationForever, 0)),
			applies: true, appliesAfter: true},
		{name: "a once coupon used by the first period stays used", given: []subscription.Event{
			withCoupon(coupon(subscription.DurationOnce, 0)), giftAdded, giftStarted}, end: t2, cycle: 2,
			next: own(coupon(subscription.DurationOnce, 0))},
		{name: "a repeating coupon's months do not run during the gift", given: []subscription.Event{
			withCoupon(coupon(subscription.DurationRepeating, 2)), giftAdded, giftStarted}, end: t2, cycle: 2,
			next: own(coupon(subscription.DurationRepeating, 2)), applies: true},
		{name: "a gift renew's term (#33) after the gift's first term is free too, then the own terms",
			given: []subscription.Event{withCoupon(nil), giftAdded,
				subscription.PhaseAdded{SubscriptionID: 1, Phase: giftPhase(610), AddedAt: t0}, giftStarted,
				started(3, giftPhase(610), true, t2, t3, 0, 0)},
			end: t3, cycle: 3, next: own(nil)},
		{name: "the customer's own renewal queued after the gift is billed on its terms",
			given: []subscription.Event{withCoupon(coupon(subscription.DurationForever, 0)), giftAdded,
				subscription.PhaseAdded{SubscriptionID: 1, Phase: subscription.Phase{Terms: yearly, Quantity: 1,
					AddressID: 5}, AddedAt: t0}, giftStarted},
			end: t2, cycle: 2, next: subscription.Phase{Terms: yearly, Quantity: 1, AddressID: 5}, fromPhase: true},
		{name: "a gift of a plan that does not renew: the subscription renews on its own",
			given: []subscription.Event{withCoupon(nil), subscription.PhaseAdded{SubscriptionID: 1, Phase: oneOff,
				AddedAt: t0}, started(2, oneOff, true, t1, t2, 0, 0)}, end: t2, cycle: 2, next: own(nil)},
		{name: "a stream recorded before the fix: its free renewal of the gift is a gift's term",
			given: []subscription.Event{withCoupon(coupon(subscription.DurationForever, 0)), giftAdded, giftStarted,
				started(3, subscription.Phase{Terms: giftPlan, Quantity: 1, Coupon: giftPhase(0).Coupon, AddressID: 5},
					false, t2, t3, 0, 0)},
			end: t3, cycle: 3, next: own(coupon(subscription.DurationForever, 0)), applies: true, appliesAfter: true},
		{name: "a change during the gift recorded before the fix, with the gift's coupon: the new plan, her coupon",
			given: []subscription.Event{withCoupon(coupon(subscription.DurationForever, 0)), giftAdded, giftStarted,
				subscription.PlanChanged{SubscriptionID: 1, Terms: dearer, Quantity: 1, Coupon: giftPhase(0).Coupon,
					AddressID: 5, PeriodStart: t1, PeriodEnd: t2, ChangedAt: t1}},
			end: t2, cycle: 2, next: subscription.Phase{Terms: dearer, Quantity: 1,
				Coupon: coupon(subscription.DurationForever, 0), AddressID: 5}, applies: true, appliesAfter: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := fold(tt.given...)
			if due, ok := s.Due(); !ok || due.Kind != subscription.DueRenew || !due.At.Equal(tt.end) {
				t.Fatalf("after the gift's terms the subscription is due for %q at %s, want a renewal at %s", due.Kind, due.At, tt.end)
			}
			next, fromPhase := s.Upcoming()
			if !samePhase(next, tt.next) || fromPhase != tt.fromPhase {
				t.Fatalf("the next period is %+v (from a phase: %t), want %+v (%t)", next, fromPhase, tt.next, tt.fromPhase)
			}
			if got := s.CouponApplies(next); got != tt.applies {
				t.Errorf("its coupon applies: %t, want %t", got, tt.applies)
			}
			end := next.Terms.PeriodEnd(tt.end)
			want := started(tt.cycle+1, tt.next, tt.fromPhase, tt.end, end, 900, 1000)
			spec.Given(tt.given...).When(func(s subscription.State) ([]subscription.Event, error) {
				return subscription.StartNextPeriod(s, subscription.NextPeriod{InvoiceID: 900, Amount: 1000}, tt.end)
			}).Then(t, want)
			after := subscription.Evolve(s, want)
			if next, _ := after.Upcoming(); !samePhase(next, tt.next) || after.CouponApplies(next) != tt.appliesAfter {
				t.Errorf("the period after is %+v, coupon applying %t; want %+v, %t", next, after.CouponApplies(next),
					tt.next, tt.appliesAfter)
			}
		})
	}
}

// samePhase compares phases by value (their coupons are pointers).
func samePhase(a, b subscription.Phase) bool {
	ca, cb := a.Coupon, b.Coupon
	a.Coupon, b.Coupon = nil, nil
	return a == b && (ca == nil) == (cb == nil) && (ca == nil || *ca == *cb)
}

func TestASubscriptionDuringAGiftsTermIsReactivatedOnItsOwnPlan(t *testing.T) {
	t.Parallel()
	// given a subscription of a plan that renews, set to cancel, during the term of a gift of a plan that
	// does not renew
	oneOff := giftPhase(0)
	oneOff.Terms.AutoRenew = false
	given := []subscription.Event{created(), subscription.PhaseAdded{SubscriptionID: 1, Phase: oneOff, AddedAt: t0},
		started(2, oneOff, true, t1, t2, 0, 0), subscription.CancellationScheduled{SubscriptionID: 1,
			Mode: subscription.CancelAtPeriodEnd, CancelAt: t2, ScheduledAt: t1}}
	// when its customer reactivates it, then it is reactivated: its own plan renews
	spec.Given(given...).When(func(s subscription.State) ([]subscription.Event, error) {
		return subscription.Reactivate(s, t1)
	}).Then(t, subscription.Reactivated{SubscriptionID: 1, ReactivatedAt: t1})
}
