package commands_test

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// addressMovedPurchase is one of Ann's purchases at her address, sent under env: it answers the invoice it
// billed (the last one of the subscription it bills) and how many terms or plans the purchase gave so far.
type addressMovedPurchase struct {
	name string
	key  string // the refund's key, less the invoice id
	// refunded is the answer to the same request sent again once refunded
	refunded error
	buy      func(t *testing.T, w giftWorld, own, address int64, env commands.Envelope, pay commands.SubscriptionPayment) error
	// given is what the purchase gave so far: the bill's subscription, and a count of what it holds
	given func(t *testing.T, w giftWorld, own int64) (billed int64, holds int)
}

var addressMovedPurchases = []addressMovedPurchase{
	{name: "a plan change", key: "change-refused:", refunded: commands.ErrPurchaseRefunded,
		buy: func(t *testing.T, w giftWorld, own, address int64, env commands.Envelope, pay commands.SubscriptionPayment) error {
			_, err := w.subscriptions.Change(t.Context(), env, commands.PlanChange{SubscriptionSale: commands.SubscriptionSale{
				Target: who(w.ann), SubscriptionID: own, PlanID: 4054, Quantity: 1, AddressID: address, Payment: pay}})
			return err
		},
		given: func(t *testing.T, w giftWorld, own int64) (int64, int) {
			if w.read(t, own).Terms.PlanID == 4054 {
				return own, 1
			}
			return own, 0
		}},
	{name: "a renewal paid now", key: "renewal-refused:", refunded: commands.ErrPurchaseRefunded,
		buy: func(t *testing.T, w giftWorld, own, address int64, env commands.Envelope, pay commands.SubscriptionPayment) error {
			_, err := w.subscriptions.Renew(t.Context(), env, commands.Renewal{SubscriptionSale: commands.SubscriptionSale{
				Target: who(w.ann), SubscriptionID: own, PlanID: 4051, Quantity: 1, AddressID: address, Payment: pay}})
			return err
		},
		given: func(t *testing.T, w giftWorld, own int64) (int64, int) { return own, len(w.read(t, own).Phases) }},
	{name: "a gift renewal", key: "gift-term-refused:", refunded: subscription.ErrGiftTermRefunded,
		buy: func(t *testing.T, w giftWorld, _, address int64, env commands.Envelope, pay commands.SubscriptionPayment) error {
			_, err := w.subscriptions.RenewGift(t.Context(), env, commands.GiftRenewal{SubscriptionSale: commands.
				SubscriptionSale{Target: who(w.ann), SubscriptionID: w.donor.ID, PlanID: 4051, Quantity: 1,
				AddressID: address, Payment: pay}})
			return err
		},
		given: func(t *testing.T, w giftWorld, _ int64) (int64, int) {
			return w.donor.ID, len(w.read(t, w.donor.ID).Phases)
		}},
}

// annBuysAtAnAddress is a gift world where Ann also holds a paid subscription of her own (returned) and
// has a new address in Ontario (returned), not attached to anything yet, and plan 4054 is on sale.
func annBuysAtAnAddress(t *testing.T) (w giftWorld, own, address int64) {
	t.Helper()
	w = newGiftWorld(t)
	dearer := w.catalog.plans[4051]
	dearer.Terms.PlanID, dearer.Terms.Amount = 4054, 3000
	w.catalog.plans[4054] = dearer
	own = w.subscribe(t, w.ann, 4051, "tok_visa").ID
	_, address, err := w.customers.AddAddress(t.Context(), newEnv(), commands.NewAddress{Target: who(w.ann),
		Address: customer.Address{Type: customer.AddressShipping, Line1: "2 New St", Country: "CA", State: "ON"}})
	if err != nil {
		t.Fatal(err)
	}
	return w, own, address
}

// movesToNewYork plays Ann moving her address to New York while her card is being charged.
func (w giftWorld) movesToNewYork(t *testing.T, address int64) func(payments.Charge) {
	newYork := []string{"US", "NY"}
	return func(payments.Charge) {
		if _, err := w.customers.UpdateAddress(context.WithoutCancel(t.Context()), newEnv(), commands.AddressUpdate{
			Target: who(w.ann), AddressID: address, Changes: customer.AddressPatch{Country: &newYork[0], State: &newYork[1]},
		}); err != nil {
			t.Error(err)
		}
	}
}

// TestAPurchaseWhoseAddressMovedDuringItsChargeIsRefunded: a plan change, a renewal and a gift renewal
// attach their address only in the commit that records them, after the card is charged. An address that
// changed state and country in between refuses them there (ErrAddressMoved): the charge is then refunded
// in full at once, recorded on its invoice, nothing is given, and the same request sent again charges
// nothing more and gives nothing.
func TestAPurchaseWhoseAddressMovedDuringItsChargeIsRefunded(t *testing.T) {
	t.Parallel()
	for _, c := range addressMovedPurchases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// given Ann buying at her Ontario address, which she moves to New York while her card is charged
			w, own, address := annBuysAtAnAddress(t)
			billedOn, holds := c.given(t, w, own)
			kept, charges := w.kept(t), w.charges(t)
			moves := w.movesToNewYork(t, address)
			w.gateway.afterCharge.Store(&moves)
			// when she buys
			env := newEnv()
			err := c.buy(t, w, own, address, env, commands.SubscriptionPayment{Token: "tok_visa"})
			// then the purchase is refused for the address, and nothing of the charge is kept
			if !errors.Is(err, commands.ErrAddressMoved) {
				t.Fatalf("buy: %v, want ErrAddressMoved", err)
			}
			if w.charges(t) != charges+1 {
				t.Fatalf("%d charges, want the one of the purchase", w.charges(t)-charges)
			}
			if got := w.kept(t); got != kept {
				t.Errorf("the gateway keeps %d more, want nothing: the refused purchase refunded", got-kept)
			}
			bills := w.invoicesOf(t, billedOn)
			bill := bills[len(bills)-1]
			if refunded, ok := bill.RefundedUnder(c.key + strconv.FormatInt(bill.ID, 10)); bill.Status !=
				invoice.StatusPaid || !ok || refunded != bill.Total || bill.Refundable() != 0 || bill.Total == 0 {
				t.Errorf("invoice %s, refunded %d of %d (%v); want paid and refunded in full", bill.Status, refunded,
					bill.Total, ok)
			}
			if _, now := c.given(t, w, own); now != holds {
				t.Errorf("the purchase gave %d, want nothing", now-holds)
			}
			// and the same request again charges nothing more, keeps nothing, gives nothing
			if err := c.buy(t, w, own, address, env, commands.SubscriptionPayment{Token: "tok_visa"}); !errors.Is(err,
				c.refunded) {
				t.Errorf("the retry: %v, want %v", err, c.refunded)
			}
			if w.charges(t) != charges+1 || w.kept(t) != kept {
				t.Errorf("the retry charged %d more, keeps %d", w.charges(t)-charges-1, w.kept(t)-kept)
			}
			if _, now := c.given(t, w, own); now != holds {
				t.Errorf("the retry gave %d of a refunded purchase, want nothing", now-holds)
			}
		})
	}
}

// TestAPurchaseWhoseAddressMovedDuringIts3DSecureChargeTakesNothing: the same purchases with a card asking
// for 3-D Secure record the purchase awaiting it, with the address, after the charge started the intent. An
// address moved in between refuses it there: the invoice is given up, so the customer completing the
// intent afterwards pays nothing, and nothing waits on the subscription.
func TestAPurchaseWhoseAddressMovedDuringIts3DSecureChargeTakesNothing(t *testing.T) {
	t.Parallel()
	for _, c := range addressMovedPurchases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// given Ann buying with a card asking for 3-D Secure, and moving her address while it is charged
			w, own, address := annBuysAtAnAddress(t)
			billedOn, holds := c.given(t, w, own)
			kept := w.kept(t)
			var intentID string
			moves := w.movesToNewYork(t, address)
			after := func(charged payments.Charge) {
				moves(charged)
				intentID = charged.Intent.ID
			}
			w.gateway.afterCharge.Store(&after)
			// when she buys, then completes 3-D Secure
			if err := c.buy(t, w, own, address, newEnv(), threeDSecure); !errors.Is(err, commands.ErrAddressMoved) {
				t.Fatalf("buy: %v, want ErrAddressMoved", err)
			}
			if err := w.completes(t, intentID); err != nil && !errors.Is(err, commands.ErrIntentNotSucceeded) {
				t.Fatal(err)
			}
			// then the gateway keeps nothing, the invoice is void, and nothing is given nor waits
			if got := w.kept(t); got != kept {
				t.Errorf("the gateway keeps %d more, want nothing", got-kept)
			}
			bills := w.invoicesOf(t, billedOn)
			if bill := bills[len(bills)-1]; bill.Status != invoice.StatusVoid || bill.Refundable() != 0 {
				t.Errorf("invoice %s with %d refundable, want void with nothing kept", bill.Status, bill.Refundable())
			}
			if _, now := c.given(t, w, own); now != holds {
				t.Errorf("the purchase gave %d, want nothing", now-holds)
			}
			if s := w.read(t, billedOn); s.Awaiting != nil {
				t.Errorf("the subscription awaits %+v, want nothing", s.Awaiting)
			}
		})
	}
}
