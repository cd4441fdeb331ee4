package commands_test

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/commands"
)

func TestEachGiftTermIsInvoicedForTheTermItBuys(t *testing.T) {
	t.Parallel()
	w := newSubscriptionWorld(t)
	ann := w.register(t, "ann@example.com", "ann")
	zoe := w.register(t, "zoe@example.com", "zoe")
	card := w.saveCard(t, ann, "tok_visa")
	cases := []struct {
		name          string
		redeemedFirst bool    // the recipient redeems the gift before the donor renews it
		renewals      []int64 // the plans of the terms the donor pays for, one after another
	}{
		{"redeemed, then renewed monthly and yearly", true, []int64{4051, 4053}},
		{"renewed monthly and yearly, then redeemed", false, []int64{4051, 4053}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// given Ann's gift to Zoe, renewed by Ann once per plan, redeemed before or after
			code, donor := w.give(t, ann, card, i+1, true)
			redeem := func() int64 {
				r, err := w.subs.RedeemGift(t.Context(), newEnv(), commands.GiftRedemption{Target: target(zoe), Code: code})
				if err != nil {
					t.Fatal(err)
				}
				return r.SubscriptionID
			}
			var into int64
			if c.redeemedFirst {
				into = redeem()
			}
			for _, plan := range c.renewals {
				// when Ann pays for another term
				if _, err := w.subs.RenewGift(t.Context(), newEnv(), commands.GiftRenewal{SubscriptionSale: commands.
					SubscriptionSale{Target: target(ann), SubscriptionID: donor, PlanID: plan, Quantity: 1}}); err != nil {
					t.Fatal(err)
				}
			}
			if !c.redeemedFirst {
				into = redeem()
			}
			// then each term's invoice covers the phase Zoe holds for it, the next starting where the last ends
			s := w.subscription(t, into)
			if len(s.Phases) != len(c.renewals) {
				t.Fatalf("Zoe's phases %+v, want %d", s.Phases, len(c.renewals))
			}
			start := s.PeriodEnd
			for n, p := range s.Phases {
				end := p.Terms.PeriodEnd(start)
				if got := w.opened(t, p.PaidBy).Period; !got.Start.Equal(start) || !got.End.Equal(end) {
					t.Errorf("term %d's invoice %d covers %s–%s, want %s–%s", n+1, p.PaidBy, got.Start, got.End,
						start, end)
				}
				start = end
			}
		})
	}
}
