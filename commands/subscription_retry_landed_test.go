package commands_test

import (
	"strconv"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// TestAGiftRenewalSentAgainAfterTheRedemptionAnswersTheTermItGave: Ann's gift renewal gave its term on her
// gift (the answer lost), then Zoe redeemed the gift onto her own subscription, which took the term; when
// Ann's request is sent again under the same key, it answers the term given, whatever Zoe's subscription
// holds now: never a second term, never a refund of the term Zoe holds.
func TestAGiftRenewalSentAgainAfterTheRedemptionAnswersTheTermItGave(t *testing.T) {
	t.Parallel()
	for _, full := range []bool{false, true} {
		name := map[bool]string{false: "room for the term again", true: "Zoe's phases full since"}[full]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			// given Ann's gift renewal, given on her gift, and the gift redeemed onto Zoe's subscription
			w := newGiftWorld(t)
			zoes := w.subscribe(t, w.zoe, 4051, "tok_visa")
			env := newEnv()
			renewal := commands.GiftRenewal{SubscriptionSale: commands.SubscriptionSale{Target: who(w.ann),
				SubscriptionID: w.donor.ID, PlanID: 4051, Quantity: 1}}
			first, err := w.subscriptions.RenewGift(t.Context(), env, renewal)
			if err != nil {
				t.Fatal(err)
			}
			bills := w.invoicesOf(t, w.donor.ID)
			term := bills[len(bills)-1].ID
			w.redeemOnto(t, zoes.ID)
			for full && len(w.read(t, zoes.ID).Phases) < subscription.MaxPhases {
				zoeRenewsUnpaid(t, w, zoes.ID)
			}
			phases, kept := len(w.read(t, zoes.ID).Phases), w.kept(t)
			// when Ann's request is sent again under the same key
			again, err := w.subscriptions.RenewGift(t.Context(), env, renewal)
			// then it answers what it gave, and Zoe holds the term once, Ann's payment kept
			if err != nil || again != first {
				t.Fatalf("sent again: %+v, %v; want the first answer %+v", again, err, first)
			}
			if got := len(w.read(t, zoes.ID).Phases); got != phases {
				t.Errorf("Zoe's phases went from %d to %d", phases, got)
			}
			if bill := w.state(t, term); len(bill.Refunds) != 0 || w.kept(t) != kept {
				t.Errorf("the term's invoice refunds %+v, the gateway keeps %d; want none and %d", bill.Refunds, w.kept(t), kept)
			}
		})
	}
}

// TestAPlanChangeSentAgainAnswersWhatItPaid: a plan change sent again under the same key is never priced
// again. Recorded, it answers its first figures (its invoice and charge), not a proration of the plan it is
// now on; refused after its charge (another process changed the plan meanwhile) and its refund failed, it
// refunds that charge in full, though a proration computed now would be nothing.
func TestAPlanChangeSentAgainAnswersWhatItPaid(t *testing.T) {
	t.Parallel()
	change := func(w purchaseWorld) commands.PlanChange {
		return commands.PlanChange{SubscriptionSale: commands.SubscriptionSale{Target: who(w.ann),
			SubscriptionID: w.sub.ID, PlanID: 4054, Quantity: 1, Payment: commands.SubscriptionPayment{Token: "tok_visa"}}}
	}
	t.Run("recorded", func(t *testing.T) {
		t.Parallel()
		// given Ann's plan change, recorded (the answer lost)
		w := newPurchaseWorld(t)
		env := newEnv()
		first, err := w.subscriptions.Change(t.Context(), env, change(w))
		if err != nil {
			t.Fatal(err)
		}
		// when it is sent again, then it answers the same invoice and charge
		again, err := w.subscriptions.Change(t.Context(), env, change(w))
		if err != nil || again != first {
			t.Fatalf("sent again: %+v, %v; want the first answer %+v", again, err, first)
		}
	})
	t.Run("refused after its charge, its refund failed", func(t *testing.T) {
		t.Parallel()
		// given Ann's plan change, charged while another process made the same change, so it is refused
		// after its charge, and the refund of its charge failing once
		w := newPurchaseWorld(t)
		refunds := withFailingRefunds(w.salesWorld)
		var mine int64
		meanwhile := func(charged payments.Charge) {
			bills := w.invoicesOf(t, w.sub.ID)
			mine = bills[len(bills)-1].ID
			if _, err := w.subscriptions.AsAnotherProcess().Change(t.Context(), newEnv(), change(w)); err != nil {
				t.Errorf("the other process's change: %v", err)
			}
			refunds.failNext(refundUnavailable)
		}
		w.gateway.afterCharge.Store(&meanwhile)
		env := newEnv()
		if _, err := w.subscriptions.Change(t.Context(), env, change(w)); err == nil {
			t.Fatal("the change was recorded; want it refused after its charge")
		}
		w.gateway.afterCharge.Store(nil)
		// when it is sent again under the same key, a proration now being nothing (the plan is 4054 already)
		_, err := w.subscriptions.Change(t.Context(), env, change(w))
		// then it answers the refusal, its charge refunded in full once
		assertRefusal(t, err, commands.ErrProrationMoved)
		bill := w.state(t, mine)
		if refunded, ok := bill.RefundedUnder("change-refused:" + strconv.FormatInt(mine, 10)); !ok || refunded != bill.Total {
			t.Errorf("invoice %d refunds %+v; want %d refunded under change-refused", mine, bill.Refunds, bill.Total)
		}
	})
}
