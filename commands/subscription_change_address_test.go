package commands_test

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// TestARefusedChangeAttachesNoAddress: a change names a new address, which the customer's stream records
// the subscription takes (spec #47) only together with a change that goes through. A change refused, by
// the subscription (a gift's term, another currency) or by the card, leaves the customer's stream as it
// was, so the address stays free to change; one that goes through attaches it.
func TestARefusedChangeAttachesNoAddress(t *testing.T) {
	// given Zoe's own subscription in a gift's term, another of hers on plan 4051, and a new address of hers
	w := newGiftWorld(t)
	dearer := w.catalog.plans[4051]
	dearer.Terms.PlanID, dearer.Terms.Amount = 4054, 2000
	euro := w.catalog.plans[4051]
	euro.Terms.PlanID, euro.Terms.Currency = 4070, "eur"
	w.catalog.plans[4054], w.catalog.plans[4070] = dearer, euro
	inGift := w.ownSubscription(t)
	w.redeemOnto(t, inGift)
	giftStart := w.read(t, inGift).PeriodEnd
	w.billAll(t, inGift, giftStart)
	other := w.ownSubscription(t)
	_, address, err := w.customers.AddAddress(t.Context(), newEnv(), commands.NewAddress{Target: who(w.zoe),
		Address: customer.Address{Type: customer.AddressShipping, Line1: "2 New St", Country: "CA", State: "ON"}})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		id      int64
		at      time.Time // the change's instant (zero: now)
		plan    int64
		token   string
		refusal error // nil: the change goes through
		// charged: the refusal comes from the card, after the proration invoice was opened (and voided)
		charged bool
	}{
		{name: "during a gift's term", id: inGift, at: giftStart.Add(24 * time.Hour), plan: 4054,
			refusal: subscription.ErrInGiftTerm},
		{name: "to a plan in another currency", id: other, plan: 4070, refusal: subscription.ErrCurrencyMismatch},
		{name: "declined by the card", id: other, plan: 4054, token: "tok_chargeDeclined", refusal: errDeclined,
			charged: true},
		{name: "that goes through", id: other, plan: 4054},
	}
	for _, c := range cases { // one after the other: each compares the whole log before and after
		t.Run(c.name, func(t *testing.T) {
			customerBefore, allBefore := w.lastOf(t, customerStreamOf(w.zoe)), w.eventCount(t)
			subscriptionBefore := w.lastOf(t, "subscription-"+strconv.FormatInt(c.id, 10))
			// when Zoe changes the subscription's plan, onto the new address
			changer := w.subscriptions
			if !c.at.IsZero() {
				changer.Now = func() time.Time { return c.at }
			}
			_, err := changer.Change(t.Context(), newEnv(), commands.PlanChange{SubscriptionSale: commands.SubscriptionSale{
				Target: who(w.zoe), SubscriptionID: c.id, PlanID: c.plan, Quantity: 1, AddressID: address,
				Payment: commands.SubscriptionPayment{Token: c.token}}})
			// then
			if c.refusal == nil {
				if err != nil {
					t.Fatal(err)
				}
				last := w.lastOf(t, customerStreamOf(w.zoe))
				var attached customer.AddressAttached
				if last.Type != "customer.address_attached" || json.Unmarshal(last.Data, &attached) != nil ||
					attached.AddressID != address || attached.SubscriptionID != c.id {
					t.Errorf("the customer's last event is %s %s, want the address attached to the subscription",
						last.Type, last.Data)
				}
				return
			}
			assertRefusal(t, err, c.refusal)
			if after := w.lastOf(t, customerStreamOf(w.zoe)); after.Revision != customerBefore.Revision {
				t.Errorf("the customer's stream moved from revision %d to %d (%s)", customerBefore.Revision,
					after.Revision, after.Type)
			}
			if after := w.lastOf(t, "subscription-"+strconv.FormatInt(c.id, 10)); after.Revision != subscriptionBefore.Revision {
				t.Errorf("the subscription's stream moved from revision %d to %d (%s)", subscriptionBefore.Revision,
					after.Revision, after.Type)
			}
			if after := w.eventCount(t); !c.charged && after != allBefore {
				t.Errorf("%d events written by a refused change, want none", after-allBefore)
			}
		})
	}
}

// ownSubscription is a new monthly subscription of Zoe's own on plan 4051, paid with a card.
func (w giftWorld) ownSubscription(t *testing.T) int64 {
	t.Helper()
	created, err := w.subscriptions.Create(t.Context(), newEnv(), commands.NewSubscription{Target: who(w.zoe),
		PlanID: 4051, Token: "tok_visa"})
	if err != nil {
		t.Fatal(err)
	}
	return created.SubscriptionID
}

// lastOf is the last event of the stream.
func (w *invoiceWorld) lastOf(t *testing.T, stream string) eventstore.RecordedEvent {
	t.Helper()
	last, err := w.store.ReadStream(t.Context(), stream, eventstore.Backwards, eventstore.StreamEnd(), 1)
	if err != nil || len(last) != 1 {
		t.Fatalf("last event of %s: %v (%d read)", stream, err, len(last))
	}
	return last[0]
}

// eventCount is how many events the whole log holds.
func (w *invoiceWorld) eventCount(t *testing.T) int {
	t.Helper()
	all, err := w.store.ReadAll(t.Context(), eventstore.AllStart(), 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	return len(all)
}

func customerStreamOf(id int64) string {
	return commands.CustomerAggregate.StreamPrefix + strconv.FormatInt(id, 10)
}
