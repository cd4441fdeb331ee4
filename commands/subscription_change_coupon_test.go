package commands_test

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/pricing"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// TestChangingPlanKeepsTheCoupon: a change whose request names no coupon keeps the subscription's, as it
// was given (same id, so a repeating coupon counts from when it was first applied), unless the catalog
// limits it to other plans; a coupon named in the request replaces it.
func TestChangingPlanKeepsTheCoupon(t *testing.T) {
	t.Parallel()
	w := newSubscriptionWorld(t)
	catalog := w.subs.Catalog.(fakeCatalog)
	loyal := subscription.Coupon{ID: 91, Code: "LOYAL20", PercentOff: pricing.RateFromPercent(20),
		Duration: subscription.DurationForever}
	catalog.coupons["LOYAL20"] = commands.SaleCoupon{Coupon: loyal}
	catalog.coupons["PREMIUM10"] = commands.SaleCoupon{Coupon: subscription.Coupon{ID: 92, Code: "PREMIUM10",
		PercentOff: pricing.RateFromPercent(10), Duration: subscription.DurationForever}, PlanIDs: []int64{4054}}
	welcome := catalog.coupons["WELCOME10"].Coupon // 10 % once, plan 4051 only
	ann := w.register(t, "ann@example.com", "ann")
	card := w.saveCard(t, ann, "tok_visa")
	cases := []struct {
		name    string
		holds   subscription.Coupon // the subscription's coupon, which billed its period (1000 less it)
		billed  int64
		request string // the change's coupon_code
		want    string // the coupon afterwards ("": none)
		charged int64  // half of the new period (3000 less the coupon) less half of what was billed
	}{
		{"kept when none is named", loyal, 800, "", "LOYAL20", 2400/2 - 800/2},
		{"replaced by the one named", loyal, 800, "PREMIUM10", "PREMIUM10", 2700/2 - 800/2},
		{"dropped when limited to other plans", welcome, 900, "", "", 3000/2 - 900/2},
	}
	ids := make([]int64, len(cases))
	for i, c := range cases {
		// given a subscription to plan 4051 holding a coupon, half way through its first period
		ids[i] = w.subscribe(t, ann, card, func(n *subscription.New) { n.Coupon, n.PeriodAmount = &c.holds, c.billed })
	}
	w.at(halfWay)
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// when Ann changes it to plan 4054 (3000 a month)
			changed, err := w.subs.Change(t.Context(), newEnv(), commands.PlanChange{SubscriptionSale: commands.SubscriptionSale{
				Target: target(ann), SubscriptionID: ids[i], PlanID: 4054, Quantity: 1, CouponCode: c.request}})
			if err != nil {
				t.Fatal(err)
			}
			// then the coupon is the one wanted, and the proration is priced with it
			s := w.subscription(t, ids[i])
			got := ""
			if s.Coupon != nil {
				got = s.Coupon.Code
			}
			if got != c.want || changed.Charged != c.charged || !s.CouponSince.Equal(subscribedAt) && c.want == "LOYAL20" {
				t.Errorf("coupon %q since %s, charged %d; want %q, charged %d", got, s.CouponSince, changed.Charged,
					c.want, c.charged)
			}
		})
	}
}
