package subscription

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

// TestAutoRenewDuringAGiftsTermIsTheSubscriptionsOwn: auto_renew says whether the subscription renews by
// itself on its own plan, which a gift's term running on it (a plan that may not renew) does not change.
func TestAutoRenewDuringAGiftsTermIsTheSubscriptionsOwn(t *testing.T) {
	t.Parallel()
	once := monthly
	once.PlanID, once.AutoRenew = 4052, false
	own := func(terms subscription.Terms) step {
		return projectiontest.At(0, applyCreated, subscription.Created{SubscriptionID: 7, CustomerID: 42,
			AccountID: 1, SiteID: 5, Type: subscription.TypeRegular, Status: subscription.StatusActive,
			Terms: terms, Quantity: 1, PeriodStart: t1, PeriodEnd: t1.AddDate(0, 1, 0), CreatedAt: t1})
	}
	gift := func(terms subscription.Terms) subscription.Phase {
		coupon := subscription.GiftCoupon
		return subscription.Phase{Terms: terms, Quantity: 2, Coupon: &coupon, Gift: true, GiftOf: 3}
	}
	added := func(terms subscription.Terms) step {
		return projectiontest.At(1, fold[subscription.PhaseAdded], subscription.PhaseAdded{SubscriptionID: 7,
			Phase: gift(terms), AddedAt: t2})
	}
	started := func(terms subscription.Terms) step {
		return projectiontest.At(2, fold[subscription.PeriodStarted], subscription.PeriodStarted{SubscriptionID: 7,
			Cycle: 2, Phase: gift(terms), FromPhase: true, PeriodStart: t1.AddDate(0, 1, 0),
			PeriodEnd: t1.AddDate(0, 2, 0), StartedAt: t1.AddDate(0, 1, 0)})
	}
	cases := []struct {
		name      string
		given     []step
		when      step
		autoRenew bool
		plan      int64
	}{
		{"a renewing plan keeps renewing through a gift's plan that does not", []step{own(monthly), added(once)},
			started(once), true, once.PlanID},
		{"a plan that does not renew does not through a gift's plan that does", []step{own(once), added(monthly)},
			started(monthly), false, monthly.PlanID},
		{"a gift's term scheduled changes nothing yet", []step{own(monthly)}, added(once), true, monthly.PlanID},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a subscription and a gift's term added to it, when the event is projected twice
			db := projectiontest.Redelivered(t, tc.given, tc.when)
			// then the row renews as the subscription's own plan does, and shows the period's plan
			var got struct {
				AutoRenew bool  `db:"auto_renew"`
				Plan      int64 `db:"plan_id"`
			}
			if err := db.GetContext(t.Context(), &got, `SELECT auto_renew, plan_id FROM subscriptions WHERE id = 7`); err != nil {
				t.Fatal(err)
			}
			if got.AutoRenew != tc.autoRenew || got.Plan != tc.plan {
				t.Fatalf("auto_renew %v, plan %d; want %v, %d", got.AutoRenew, got.Plan, tc.autoRenew, tc.plan)
			}
		})
	}
}
