package commands_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/pricing"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

func TestARenewalAfterAGiftRedeemedOntoASubscriptionIsBilledOnItsOwnTerms(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		coupon string // Zoe's own coupon when she subscribed
		// giftRenewed: Ann buys another term after the redemption (#33); zoeRenews: Zoe queues a renewal
		// of her own, billed when it starts, after the gift
		giftRenewed, zoeRenews bool
		// then the billing clock's items up to the end of the period after the last term queued
		want []string
	}{
		{name: "no coupon of her own: the full price", want: []string{"renew:renewed ", "renew:renewed ",
			"charge:paid 1000 usd"}},
		{name: "her own forever coupon still discounts", coupon: "LOYAL20", want: []string{"renew:renewed ",
			"renew:renewed ", "charge:paid 800 usd"}},
		{name: "a term Ann renewed is free too, then the full price", giftRenewed: true, want: []string{
			"renew:renewed ", "renew:renewed ", "renew:renewed ", "charge:paid 1000 usd"}},
		{name: "Zoe's renewal queued after the gift, and the one after it, at the full price", zoeRenews: true,
			want: []string{"renew:renewed ", "renew:renewed ", "charge:paid 1000 usd", "renew:renewed ",
				"charge:paid 1000 usd"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given Zoe's own monthly subscription (with her coupon), onto which she redeems Ann's gift
			w := newGiftWorld(t)
			w.catalog.coupons["LOYAL20"] = commands.SaleCoupon{Coupon: subscription.Coupon{ID: 78, Code: "LOYAL20",
				PercentOff: pricing.RateFromPercent(20), Duration: subscription.DurationForever}}
			created, err := w.subscriptions.Create(t.Context(), newEnv(), commands.NewSubscription{Target: who(w.zoe),
				PlanID: 4051, Token: "tok_visa", CouponCode: tc.coupon})
			if err != nil {
				t.Fatal(err)
			}
			zoes := created.SubscriptionID
			w.redeemOnto(t, zoes)
			if tc.giftRenewed {
				w.renewGift(t)
			}
			if tc.zoeRenews {
				if _, err := w.subscriptions.Renew(t.Context(), newEnv(), commands.Renewal{SubscriptionSale: commands.
					SubscriptionSale{Target: who(w.zoe), SubscriptionID: zoes, PlanID: 4051, Quantity: 1}}); err != nil {
					t.Fatal(err)
				}
			}
			s := w.read(t, zoes)
			until := s.Terms.PeriodEnd(s.LastPeriodEnd()) // the first period after every term queued
			before := w.charges(t)
			// when the billing clock runs over the gift's terms and the renewal after them
			var items []string
			if _, err := w.subscriptions.BillDue(t.Context(), zoes, until.Add(-1), func(a commands.BillingAction) {
				items = append(items, string(a.Kind)+":"+a.Outcome+" "+a.Detail)
			}); err != nil {
				t.Fatal(err)
			}
			// then the gift's terms charge nothing, and the renewal after them is charged her own price
			if !slices.Equal(items, tc.want) {
				t.Errorf("billing items %q, want %q", items, tc.want)
			}
			paid := slices.DeleteFunc(slices.Clone(tc.want), func(item string) bool { return item == "renew:renewed " })
			if got, want := w.charges(t)-before, len(paid); got != want {
				t.Errorf("Zoe was charged %d times, want %d", got, want)
			}
			held := ""
			if after := w.read(t, zoes); after.Coupon != nil {
				held = after.Coupon.Code
			}
			if held != tc.coupon {
				t.Errorf("after the gift her subscription holds coupon %q, want %q", held, tc.coupon)
			}
		})
	}
}

// TestAChangeOfPlanWaitsForTheEndOfAGiftsTerm: a change during a gift's term would bill the recipient for
// the rest of a term the donor paid for (the gift's period was billed nothing, so nothing is credited), and
// drop the rest of the gift; it is refused until the term ends, and goes through then on the subscription's
// own terms, with its own coupon.
func TestAChangeOfPlanWaitsForTheEndOfAGiftsTerm(t *testing.T) {
	t.Parallel()
	// given Zoe's own monthly subscription with her forever coupon, onto which she redeemed Ann's gift, whose
	// month has started
	w := newGiftWorld(t)
	w.catalog.coupons["LOYAL20"] = commands.SaleCoupon{Coupon: subscription.Coupon{ID: 78, Code: "LOYAL20",
		PercentOff: pricing.RateFromPercent(20), Duration: subscription.DurationForever}}
	dearer := w.catalog.plans[4051]
	dearer.Terms.PlanID, dearer.Terms.Amount = 4054, 2000
	w.catalog.plans[4054] = dearer
	created, err := w.subscriptions.Create(t.Context(), newEnv(), commands.NewSubscription{Target: who(w.zoe),
		PlanID: 4051, Token: "tok_visa", CouponCode: "LOYAL20"})
	if err != nil {
		t.Fatal(err)
	}
	zoes := created.SubscriptionID
	w.redeemOnto(t, zoes)
	giftStart := w.read(t, zoes).PeriodEnd
	if got := w.billAll(t, zoes, giftStart); !slices.Equal(got, []string{"renew:renewed"}) {
		t.Fatalf("billing items %v, want the gift's month started", got)
	}
	change := func(at time.Time) error {
		changer := w.subscriptions
		changer.Now = func() time.Time { return at }
		_, err := changer.Change(t.Context(), newEnv(), commands.PlanChange{SubscriptionSale: commands.SubscriptionSale{
			Target: who(w.zoe), SubscriptionID: zoes, PlanID: 4054, Quantity: 1}})
		return err
	}
	// when she changes to the dearer plan a day into the gift's month, then it is refused and nothing changes
	if err := change(giftStart.Add(24 * time.Hour)); !errors.Is(err, subscription.ErrInGiftTerm) {
		t.Fatalf("change during the gift's term: %v, want ErrInGiftTerm", err)
	}
	if s := w.read(t, zoes); s.Terms.PlanID != 4051 || !s.Coupon.IsGift() {
		t.Fatalf("after the refusal: plan %d, coupon %+v; want the gift's month untouched", s.Terms.PlanID, s.Coupon)
	}
	// when the gift's month has ended and her own month started, then the change goes through with her coupon
	ownStart := w.read(t, zoes).PeriodEnd
	if got := w.billAll(t, zoes, ownStart); len(got) == 0 {
		t.Fatalf("no billing at the end of the gift's month")
	}
	if err := change(ownStart); err != nil {
		t.Fatalf("change after the gift's term: %v", err)
	}
	if s := w.read(t, zoes); s.Terms.PlanID != 4054 || s.Coupon == nil || s.Coupon.Code != "LOYAL20" {
		t.Errorf("after the change: plan %d, coupon %+v; want 4054 with LOYAL20", s.Terms.PlanID, s.Coupon)
	}
}
