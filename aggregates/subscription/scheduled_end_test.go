package subscription_test

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

type decision = func(subscription.State) ([]subscription.Event, error)

// endsAt is the scheduled cancellation of subscription 1 at at, of mode, decided at scheduledAt.
func endsAt(mode subscription.CancelMode, at, scheduledAt time.Time) subscription.CancellationScheduled {
	return subscription.CancellationScheduled{SubscriptionID: 1, Mode: mode, CancelAt: at, ScheduledAt: scheduledAt}
}

// A term paid for (in advance, by a gift, or through 3-D Secure completed later) runs before a scheduled
// end: a subscription set to end with its current period keeps running until the paid term is over.
func TestPaidTermsRunBeforeTheEnd(t *testing.T) {
	t.Parallel()
	half := t0.Add(t1.Sub(t0) / 2)
	atPeriodEnd := endsAt(subscription.CancelAtPeriodEnd, t1, t0)
	paid := subscription.Phase{Terms: yearly, Quantity: 1, PaidBy: 600}
	unpaid := subscription.Phase{Terms: monthly, Quantity: 1}
	added := func(p subscription.Phase) subscription.PhaseAdded {
		return subscription.PhaseAdded{SubscriptionID: 1, Phase: p, AddedAt: half}
	}
	renew := func(p subscription.Phase) decision {
		return func(s subscription.State) ([]subscription.Event, error) {
			return subscription.AddPhase(s, subscription.Renew{Phase: p}, half)
		}
	}
	gift := subscription.Phase{Terms: monthly, Quantity: 1, PaidBy: 610}
	coupon := subscription.GiftCoupon
	given := gift
	given.Coupon, given.Gift = &coupon, true
	awaiting := subscription.PurchaseAwaitingPayment{SubscriptionID: 1, AwaitingSince: t0,
		Purchase: subscription.Purchase{Kind: subscription.PurchaseRenewal, InvoiceID: 600, Phase: &paid, At: t0}}
	yearAfter := t1.AddDate(1, 0, 0)
	tests := []struct {
		name  string
		given []subscription.Event
		when  decision
		then  []subscription.Event
	}{
		{"a renewal paid now moves the end to the end of its term",
			[]subscription.Event{created(), atPeriodEnd}, renew(paid),
			[]subscription.Event{added(paid), endsAt(subscription.CancelAtPeriodEnd, yearAfter, half)}},
		{"a renewal billed later leaves the end where it is: the term is never billed",
			[]subscription.Event{created(), atPeriodEnd}, renew(unpaid), []subscription.Event{added(unpaid)}},
		{"a gift redeemed onto the subscription moves the end to the end of the gift's term",
			[]subscription.Event{created(), atPeriodEnd},
			func(s subscription.State) ([]subscription.Event, error) {
				return subscription.AddGiftPhase(s, gift, half)
			},
			[]subscription.Event{added(given), endsAt(subscription.CancelAtPeriodEnd, t1.AddDate(0, 1, 0), half)}},
		{"a renewal whose 3-D Secure completes later moves the end when it is settled",
			[]subscription.Event{created(), atPeriodEnd, awaiting},
			func(s subscription.State) ([]subscription.Event, error) {
				return subscription.SettlePurchase(s, 600, half)
			},
			[]subscription.Event{subscription.PurchaseSettled{SubscriptionID: 1, InvoiceID: 600, Applied: true,
				SettledAt: half}, added(paid), endsAt(subscription.CancelAtPeriodEnd, yearAfter, half)}},
		{"a term paid after one billed later ends the subscription after both",
			[]subscription.Event{created(), atPeriodEnd, added(unpaid)}, renew(paid),
			[]subscription.Event{added(paid), endsAt(subscription.CancelAtPeriodEnd, t1.AddDate(0, 1, 0).AddDate(1, 0, 0),
				half)}},
		{"cancelling at the current period's end waits for the term paid already",
			[]subscription.Event{created(), added(paid)},
			func(s subscription.State) ([]subscription.Event, error) {
				return subscription.CancelSubscription(s, subscription.Cancel{Mode: subscription.CancelAtPeriodEnd}, 0, half)
			},
			[]subscription.Event{endsAt(subscription.CancelAtPeriodEnd, yearAfter, half)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			spec.Given(tt.given...).When(tt.when).Then(t, tt.then...)
		})
	}

	t.Run("the billing clock starts the paid term, then ends the subscription after it", func(t *testing.T) {
		t.Parallel()
		s := fold(created(), atPeriodEnd, added(paid), endsAt(subscription.CancelAtPeriodEnd, yearAfter, half))
		if due, _ := s.Due(); due != (subscription.Due{Kind: subscription.DueRenew, At: t1}) {
			t.Fatalf("at the period's end the clock does %v, want renew at %v", due, t1)
		}
		started, err := subscription.StartNextPeriod(s, subscription.NextPeriod{}, t1)
		if err != nil {
			t.Fatal(err)
		}
		s = fold(append([]subscription.Event{created(), atPeriodEnd, added(paid),
			endsAt(subscription.CancelAtPeriodEnd, yearAfter, half)}, started...)...)
		if s.Terms != yearly || s.PeriodEnd != yearAfter || s.Unsettled != 0 {
			t.Errorf("the paid term runs as %v until %v (unsettled %d), want yearly until %v, nothing billed",
				s.Terms.Interval, s.PeriodEnd, s.Unsettled, yearAfter)
		}
		if due, _ := s.Due(); due != (subscription.Due{Kind: subscription.DueEnd, At: yearAfter}) {
			t.Errorf("after the paid term the clock does %v, want end at %v", due, yearAfter)
		}
	})
}

// A change of interval starts a new period the customer paid for: a scheduled end follows it. A change within
// the same interval keeps the period's dates, and the end.
func TestIntervalChangeMovesTheEnd(t *testing.T) {
	t.Parallel()
	half := t0.Add(t1.Sub(t0) / 2)
	yearly1 := created()
	yearly1.Terms, yearly1.PeriodEnd, yearly1.PeriodAmount = yearly, t0.AddDate(1, 0, 0), 10000
	yearEnd := t0.AddDate(1, 0, 0)
	toMonthly := subscription.Change{Terms: monthly, Quantity: 1, PeriodAmount: 1000}
	premium := yearly
	premium.PlanID, premium.Amount = 4056, 20000
	toPremium := subscription.Change{Terms: premium, Quantity: 1, PeriodAmount: 20000}
	paid := subscription.PhaseAdded{SubscriptionID: 1, AddedAt: t0,
		Phase: subscription.Phase{Terms: monthly, Quantity: 1, PaidBy: 600}}
	newEnd := half.AddDate(0, 1, 0)
	tests := []struct {
		name   string
		given  []subscription.Event
		change subscription.Change
		want   []subscription.CancellationScheduled
	}{
		{"last_period_end without phases ends with the new period",
			[]subscription.Event{yearly1, endsAt(subscription.CancelAtLastPeriodEnd, yearEnd, t0)}, toMonthly,
			[]subscription.CancellationScheduled{endsAt(subscription.CancelAtLastPeriodEnd, newEnd, half)}},
		{"last_period_end with a phase ends with the phase after the new period",
			[]subscription.Event{yearly1, paid, endsAt(subscription.CancelAtLastPeriodEnd, yearEnd.AddDate(0, 1, 0), t0)},
			toMonthly,
			[]subscription.CancellationScheduled{endsAt(subscription.CancelAtLastPeriodEnd, newEnd.AddDate(0, 1, 0),
				half)}},
		{"current_period_end ends with the new current period",
			[]subscription.Event{yearly1, endsAt(subscription.CancelAtPeriodEnd, yearEnd, t0)}, toMonthly,
			[]subscription.CancellationScheduled{endsAt(subscription.CancelAtPeriodEnd, newEnd, half)}},
		{"the same interval keeps the period's dates and the end",
			[]subscription.Event{yearly1, endsAt(subscription.CancelAtLastPeriodEnd, yearEnd, t0)}, toPremium, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := fold(tt.given...)
			changed, err := subscription.ChangePlan(s, tt.change, 700, half)
			if err != nil {
				t.Fatal(err)
			}
			want := []subscription.Event{changed[0]}
			for _, e := range tt.want {
				want = append(want, e)
			}
			spec.Given(tt.given...).When(func(s subscription.State) ([]subscription.Event, error) {
				return subscription.ChangePlan(s, tt.change, 700, half)
			}).Then(t, want...)
			if end := fold(append(tt.given, changed...)...).CancelAt; len(tt.want) > 0 && !end.Equal(tt.want[0].CancelAt) {
				t.Errorf("cancel_at %v, want %v", end, tt.want[0].CancelAt)
			}
		})
	}
}
