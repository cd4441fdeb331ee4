package commands_test

import (
	"slices"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

func TestAGiftIsNotRedeemedOntoASubscriptionDunningCouldEnd(t *testing.T) {
	t.Parallel()
	// given Ann's gift, and Zoe's own subscription whose renewal her default card declined
	w := newGiftWorld(t)
	zoes := w.subscribe(t, w.zoe, 4051, "tok_visa")
	w.makeDefault(t, w.zoe, "tok_chargeCustomerFail", false)
	if got := w.billAll(t, zoes.ID, zoes.PeriodEnd); !slices.Equal(got, []string{"renew:renewed", "charge:payment_failed"}) {
		t.Fatalf("billing items %v, want a declined renewal", got)
	}
	// when Zoe redeems Ann's gift onto it
	_, err := w.subscriptions.RedeemGift(t.Context(), newEnv(), commands.GiftRedemption{Target: who(w.zoe),
		Code: w.donor.GiftCode, SubscriptionID: zoes.ID})
	// then it is refused before the gift is spent, and Zoe redeems it into a subscription of its own
	assertRefusal(t, err, subscription.ErrInvoiceUnpaid)
	if s := w.read(t, zoes.ID); len(s.Phases) != 0 {
		t.Errorf("Zoe's subscription got phases %+v from a refused redemption", s.Phases)
	}
	if s := w.read(t, w.donor.ID); s.GiftRedeemed {
		t.Error("a refused redemption spent the gift")
	}
	if into := w.redeem(t); into == zoes.ID {
		t.Errorf("the gift went into the subscription in dunning %d", into)
	}
}
