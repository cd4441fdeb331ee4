package commands_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// threeDSecure pays with the sandbox's token of a card asking for 3-D Secure.
var threeDSecure = commands.SubscriptionPayment{Token: "tok_threeDSecure2Required"}

// TestThreeDSecureOnRenewChangeAndGiftTerm: as on create, a card asking for 3-D Secure leaves the invoice
// waiting with its payment intent in the answer; nothing is applied, and nothing else may be bought on the
// subscription, until the intent succeeds and the reactor hears the invoice was paid, which applies it once.
func TestThreeDSecureOnRenewChangeAndGiftTerm(t *testing.T) {
	t.Parallel()
	w := newSubscriptionWorld(t)
	ann := w.register(t, "ann@example.com", "ann")
	zoe := w.register(t, "zoe@example.com", "zoe")
	card := w.saveCard(t, ann, "tok_visa")
	sale := func(id, plan int64) commands.SubscriptionSale {
		return commands.SubscriptionSale{Target: target(ann), SubscriptionID: id, PlanID: plan, Quantity: 1,
			Payment: threeDSecure}
	}
	renew := func(id int64) (commands.SubscriptionResult, error) {
		return w.subs.Renew(t.Context(), newEnv(), commands.Renewal{SubscriptionSale: sale(id, 4051)})
	}
	change := func(id int64) (commands.SubscriptionResult, error) {
		changed, err := w.subs.Change(t.Context(), newEnv(), commands.PlanChange{SubscriptionSale: sale(id, 4054)})
		return changed.SubscriptionResult, err
	}
	giftTerm := func(id int64) (commands.SubscriptionResult, error) {
		return w.subs.RenewGift(t.Context(), newEnv(), commands.GiftRenewal{SubscriptionSale: sale(id, 4051)})
	}
	phases := func(n int) func(subscription.State) bool {
		return func(s subscription.State) bool { return len(s.Phases) == n }
	}
	cases := []struct {
		name    string
		given   func(t *testing.T, n int) (bought, holder int64) // the subscription bought on, the one it applies to
		buy     func(id int64) (commands.SubscriptionResult, error)
		applied func(subscription.State) bool
	}{
		{"a renewal adds its phase", func(t *testing.T, _ int) (int64, int64) {
			id := w.subscribe(t, ann, card, nil)
			return id, id
		}, renew, phases(1)},
		{"a change switches the plan", func(t *testing.T, _ int) (int64, int64) {
			id := w.subscribe(t, ann, card, nil)
			return id, id
		}, change, func(s subscription.State) bool { return s.Terms.PlanID == 4054 }},
		{"a gift term not redeemed stays with the donor", func(t *testing.T, n int) (int64, int64) {
			_, donor := w.give(t, ann, card, 50+n, true)
			return donor, donor
		}, giftTerm, phases(1)},
		{"a gift term redeemed goes to the recipient", func(t *testing.T, n int) (int64, int64) {
			code, donor := w.give(t, ann, card, 50+n, true)
			r, err := w.subs.RedeemGift(t.Context(), newEnv(), commands.GiftRedemption{Target: target(zoe), Code: code})
			if err != nil {
				t.Fatal(err)
			}
			return donor, r.SubscriptionID
		}, giftTerm, phases(1)},
	}
	for n, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// given a subscription (a gift) of Ann's
			bought, holder := c.given(t, n)
			// when she buys on it with a card asking for 3-D Secure
			result, err := c.buy(bought)
			if err != nil {
				t.Fatal(err)
			}
			// then the answer carries the payment intent, and nothing is applied
			if i := result.PaymentIntent; i == nil || i.Status != payments.IntentRequiresAction || i.ClientSecret == "" {
				t.Fatalf("answer %+v, want a payment intent requiring action", result)
			}
			if c.applied(w.subscription(t, holder)) {
				t.Fatal("applied before the payment")
			}
			awaiting := w.subscription(t, bought).Awaiting
			if awaiting == nil || w.state(t, awaiting.InvoiceID).Status != invoice.StatusOpen {
				t.Fatalf("awaiting %+v, want the purchase recorded with its invoice open", awaiting)
			}
			// and buying again meanwhile is refused before anything is billed
			if _, err := c.buy(bought); !errors.Is(err, subscription.ErrPaymentPending) {
				t.Errorf("a second purchase meanwhile: %v, want ErrPaymentPending", err)
			}
			// when the intent succeeds and the reactor hears (twice) that the invoice was paid
			if _, err := w.sandbox.Confirm(t.Context(), result.PaymentIntent.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := w.intents.Confirm(t.Context(), newEnv(), result.PaymentIntent.ID); err != nil {
				t.Fatal(err)
			}
			for range 2 {
				paidEvent := envelope("invoice-paid:" + strconv.FormatInt(awaiting.InvoiceID, 10))
				if _, err := w.subs.RecordInvoicePaid(t.Context(), paidEvent, awaiting.InvoiceID, 0); err != nil {
					t.Fatal(err)
				}
			}
			// then it is applied, once, and the subscription waits for nothing
			if s := w.subscription(t, holder); !c.applied(s) {
				t.Errorf("after the payment: %+v", s)
			}
			if s := w.subscription(t, bought); s.Awaiting != nil || w.state(t, awaiting.InvoiceID).Status != invoice.StatusPaid {
				t.Errorf("after the payment: awaiting %+v, invoice %s", s.Awaiting, w.state(t, awaiting.InvoiceID).Status)
			}
		})
	}
}
