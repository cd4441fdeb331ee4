package commands_test

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// TestARefusedRenewalAttachesNoAddress: a renewal (POST /subscription/renew) or a gift renewal (POST
// /subscription/gift/renew) names a new address, which the customer's stream records the subscription takes
// only together with the term that goes through, as a change does. One refused, by the subscription (a plan in another currency) or by the card,
// leaves the customer's and the subscription's streams as they were, so the address stays free to change;
// one that goes through, or waits for 3-D Secure, attaches it.
func TestARefusedRenewalAttachesNoAddress(t *testing.T) {
	// given Zoe's own subscription on plan 4051, Ann's gift to Zoe (also redeemed, in a second world), and
	// a new address of each
	w := newGiftWorld(t)
	euro := w.catalog.plans[4051]
	euro.Terms.PlanID, euro.Terms.Currency = 4070, "eur"
	w.catalog.plans[4070] = euro
	own := w.ownSubscription(t)
	redeemed := newGiftWorld(t)
	redeemed.redeem(t)
	newAddress := func(w giftWorld, owner int64) int64 {
		_, id, err := w.customers.AddAddress(t.Context(), newEnv(), commands.NewAddress{Target: who(owner),
			Address: customer.Address{Type: customer.AddressShipping, Line1: "2 New St", Country: "CA", State: "ON"}})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	zoes, anns, annsRedeemed := newAddress(w, w.zoe), newAddress(w, w.ann), newAddress(redeemed, redeemed.ann)
	renew := func(w giftWorld, id, plan, address int64, token string) error {
		_, err := w.subscriptions.Renew(t.Context(), newEnv(), commands.Renewal{SubscriptionSale: commands.SubscriptionSale{
			Target: who(w.zoe), SubscriptionID: id, PlanID: plan, Quantity: 1, AddressID: address,
			Payment: commands.SubscriptionPayment{Token: token}}})
		return err
	}
	renewGift := func(w giftWorld, id, plan, address int64, token string) error {
		_, err := w.subscriptions.RenewGift(t.Context(), newEnv(), commands.GiftRenewal{SubscriptionSale: commands.SubscriptionSale{
			Target: who(w.ann), SubscriptionID: id, PlanID: plan, Quantity: 1, AddressID: address,
			Payment: commands.SubscriptionPayment{Token: token}}})
		return err
	}
	cases := []struct {
		name    string
		world   giftWorld
		owner   int64 // whose customer stream takes the address
		id      int64
		address int64
		plan    int64
		token   string
		do      func(w giftWorld, id, plan, address int64, token string) error
		refusal error // nil: the renewal goes through (or waits for 3-D Secure)
		// charged: the refusal comes from the card, after the invoice was opened (and voided)
		charged bool
	}{
		{name: "renew to a plan in another currency", world: w, owner: w.zoe, id: own, address: zoes, plan: 4070,
			do: renew, refusal: subscription.ErrCurrencyMismatch},
		{name: "renew declined by the card", world: w, owner: w.zoe, id: own, address: zoes, plan: 4051,
			token: "tok_chargeDeclined", do: renew, refusal: errDeclined, charged: true},
		{name: "gift renew to a plan in another currency", world: w, owner: w.ann, id: w.donor.ID, address: anns,
			plan: 4070, do: renewGift, refusal: subscription.ErrCurrencyMismatch},
		{name: "gift renew declined by the card", world: w, owner: w.ann, id: w.donor.ID, address: anns, plan: 4051,
			token: "tok_chargeDeclined", do: renewGift, refusal: errDeclined, charged: true},
		{name: "renew paid later", world: w, owner: w.zoe, id: own, address: zoes, plan: 4051, do: renew},
		{name: "renew waiting for 3-D Secure", world: w, owner: w.zoe, id: own, address: zoes, plan: 4051,
			token: "tok_threeDSecure2Required", do: renew},
		{name: "gift renew of a gift not redeemed", world: w, owner: w.ann, id: w.donor.ID, address: anns,
			plan: 4051, token: "tok_visa", do: renewGift},
		{name: "gift renew of a gift redeemed", world: redeemed, owner: redeemed.ann, id: redeemed.donor.ID,
			address: annsRedeemed, plan: 4051, token: "tok_visa", do: renewGift},
	}
	for _, c := range cases { // one after the other: each compares the whole log before and after
		t.Run(c.name, func(t *testing.T) {
			customerBefore, allBefore := c.world.lastOf(t, customerStreamOf(c.owner)), c.world.eventCount(t)
			subscriptionBefore := c.world.lastOf(t, "subscription-"+strconv.FormatInt(c.id, 10))
			// when the owner renews the subscription, onto the new address
			err := c.do(c.world, c.id, c.plan, c.address, c.token)
			// then
			if c.refusal == nil {
				if err != nil {
					t.Fatal(err)
				}
				last := c.world.lastOf(t, customerStreamOf(c.owner))
				var attached customer.AddressAttached
				if last.Revision == customerBefore.Revision || last.Type != "customer.address_attached" || json.Unmarshal(last.Data, &attached) != nil ||
					attached.AddressID != c.address || attached.SubscriptionID != c.id {
					t.Errorf("the customer's last event is %s %s, want the address attached to the subscription",
						last.Type, last.Data)
				}
				return
			}
			assertRefusal(t, err, c.refusal)
			if after := c.world.lastOf(t, customerStreamOf(c.owner)); after.Revision != customerBefore.Revision {
				t.Errorf("the customer's stream moved from revision %d to %d (%s)", customerBefore.Revision,
					after.Revision, after.Type)
			}
			if after := c.world.lastOf(t, "subscription-"+strconv.FormatInt(c.id, 10)); after.Revision != subscriptionBefore.Revision {
				t.Errorf("the subscription's stream moved from revision %d to %d (%s)", subscriptionBefore.Revision,
					after.Revision, after.Type)
			}
			if after := c.world.eventCount(t); !c.charged && after != allBefore {
				t.Errorf("%d events written by a refused renewal, want none", after-allBefore)
			}
		})
	}
}
