package commands_test

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

func TestAGiftRedeemedAgainGivesNothingMore(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// meanwhile is what happens to Zoe's subscription between her two redemptions of Ann's gift
		meanwhile func(t *testing.T, w giftWorld, zoes subscription.State)
	}{
		{"nothing", func(*testing.T, giftWorld, subscription.State) {}},
		{"Zoe renews it for a term of her own, after the gift's", func(t *testing.T, w giftWorld, zoes subscription.State) {
			if _, err := w.subscriptions.Renew(t.Context(), newEnv(), commands.Renewal{SubscriptionSale: commands.
				SubscriptionSale{Target: who(w.zoe), SubscriptionID: zoes.ID, PlanID: 4051, Quantity: 1,
				Payment: commands.SubscriptionPayment{Token: "tok_visa"}}}); err != nil {
				t.Fatal(err)
			}
		}},
		{"the gift's term started", func(t *testing.T, w giftWorld, zoes subscription.State) {
			if got := w.billAll(t, zoes.ID, zoes.PeriodEnd); len(got) != 1 || got[0] != "renew:renewed" {
				t.Fatalf("billing items %v, want the gift's term started", got)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given Ann's gift redeemed by Zoe onto her own subscription, and what happened to it since
			w := newGiftWorld(t)
			zoes := w.subscribe(t, w.zoe, 4051, "tok_visa")
			redeem := func() (commands.SubscriptionResult, error) {
				return w.subscriptions.RedeemGift(t.Context(), newEnv(), commands.GiftRedemption{Target: who(w.zoe),
					Code: w.donor.GiftCode, SubscriptionID: zoes.ID})
			}
			if _, err := redeem(); err != nil {
				t.Fatal(err)
			}
			giftEnd := w.read(t, w.donor.ID).GiftTermsEnd
			tc.meanwhile(t, w, zoes)
			before, donorBefore := w.read(t, zoes.ID), w.read(t, w.donor.ID)
			// when Zoe sends the same code again (another Idempotency-Key)
			again, err := redeem()
			// then she gets the same subscription, and nothing more: no second term, the gift's end unmoved
			if err != nil || again.SubscriptionID != zoes.ID {
				t.Fatalf("redeeming again: %+v, %v; want subscription %d unchanged", again, err, zoes.ID)
			}
			if after := w.read(t, zoes.ID); !after.LastPeriodEnd().Equal(before.LastPeriodEnd()) ||
				len(after.Phases) != len(before.Phases) {
				t.Errorf("Zoe's subscription ends %s with %d phases after redeeming again, want %s with %d",
					after.LastPeriodEnd(), len(after.Phases), before.LastPeriodEnd(), len(before.Phases))
			}
			if d := w.read(t, w.donor.ID); !d.GiftTermsEnd.Equal(giftEnd) || d.Status != donorBefore.Status {
				t.Errorf("Ann's gift is %s until %s after Zoe redeemed it again, want %s until %s", d.Status,
					d.GiftTermsEnd, donorBefore.Status, giftEnd)
			}
		})
	}
}
