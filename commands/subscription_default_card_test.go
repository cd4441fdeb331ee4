package commands_test

import (
	"slices"
	"testing"

	"github.com/pelcro-oss/pelcro-api/commands"
)

// TestWhatIsBilledNowWithoutACardChargesAsARenewalWould: a plan change paid now without naming a card charges
// what the subscription's renewals charge, the customer's default card (so the own card, deletable once
// another card is the default, is never what it falls back on); a gift term still charges the card the gift
// was paid with, since the gift given holds no card and nothing charges its donor unasked.
func TestWhatIsBilledNowWithoutACardChargesAsARenewalWould(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		gift    bool
		charged string
	}{
		{name: "a plan change charges the default", charged: "default"},
		{name: "a gift term charges the gift's card", gift: true, charged: "own"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given Ann subscribed (or gave a gift) with her visa, then saved a mastercard as her default
			w := newSubscriptionWorld(t)
			ann := w.register(t, "ann@example.com", "ann")
			cards := map[string]int64{"own": w.saveCard(t, ann, "tok_visa")}
			var id int64
			if tc.gift {
				_, id = w.give(t, ann, cards["own"], 1, true)
			} else {
				id = w.subscribe(t, ann, cards["own"], nil)
			}
			cards["default"] = w.makeDefault(t, ann, "tok_mastercard", false)
			w.at(halfWay)
			// when she buys on it without naming a card
			sale := commands.SubscriptionSale{Target: target(ann), SubscriptionID: id, PlanID: 4054, Quantity: 1}
			var err error
			if tc.gift {
				sale.PlanID = 4051
				_, err = w.subs.RenewGift(t.Context(), newEnv(), commands.GiftRenewal{SubscriptionSale: sale})
			} else {
				_, err = w.subs.Change(t.Context(), newEnv(), commands.PlanChange{SubscriptionSale: sale})
			}
			if err != nil {
				t.Fatal(err)
			}
			// then the one invoice billed now was charged to the card expected
			var charged []int64
			for _, bill := range w.invoicesOf(t, id) {
				charged = append(charged, w.attemptedCards(t, bill.ID)...)
			}
			if !slices.Equal(charged, []int64{cards[tc.charged]}) {
				t.Errorf("charged cards %v, want the %s card %d", charged, tc.charged, cards[tc.charged])
			}
		})
	}
}
