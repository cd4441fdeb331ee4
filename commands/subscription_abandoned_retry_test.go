package commands_test

import (
	"errors"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// TestARetryOfAnAbandonedPurchaseSaysSo: a renewal or plan change whose 3-D Secure nobody completed is given
// up at its deadline, its invoice voided; the same request sent again (the same command, e.g. the same
// Idempotency-Key once its answer is no longer kept) answers ErrPurchaseAbandoned, not a declined card: the
// card declined nothing, and nothing is charged again.
func TestARetryOfAnAbandonedPurchaseSaysSo(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		buy  func(w purchaseWorld, t *testing.T, env commands.Envelope) (commands.SubscriptionResult, error)
	}{
		{"a renewal", func(w purchaseWorld, t *testing.T, env commands.Envelope) (commands.SubscriptionResult, error) {
			return w.subscriptions.Renew(t.Context(), env, commands.Renewal{SubscriptionSale: commands.SubscriptionSale{
				Target: who(w.ann), SubscriptionID: w.sub.ID, PlanID: 4051, Quantity: 1, Payment: threeDSecure}})
		}},
		{"a plan change", func(w purchaseWorld, t *testing.T, env commands.Envelope) (commands.SubscriptionResult, error) {
			changed, err := w.subscriptions.Change(t.Context(), env, commands.PlanChange{SubscriptionSale: commands.
				SubscriptionSale{Target: who(w.ann), SubscriptionID: w.sub.ID, PlanID: 4054, Quantity: 1, Payment: threeDSecure}})
			return changed.SubscriptionResult, err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// given Ann's purchase waiting for 3-D Secure, given up at its deadline
			w := newPurchaseWorld(t)
			env := newEnv()
			bought, err := c.buy(w, t, env)
			if err != nil || bought.PaymentIntent == nil {
				t.Fatalf("buy: %+v, %v; want a payment intent", bought, err)
			}
			awaited := w.read(t, w.sub.ID).Awaiting.InvoiceID
			if _, err := w.subscriptions.BillDue(t.Context(), w.sub.ID, time.Now().Add(subscription.PaymentDeadline+time.Minute),
				func(commands.BillingAction) {}); err != nil {
				t.Fatal(err)
			}
			kept := w.kept(t)
			// when she sends the same request again
			_, err = c.buy(w, t, env)
			// then it answers that the purchase was given up, not a declined card, and charges nothing
			if !errors.Is(err, commands.ErrPurchaseAbandoned) || errors.As(err, new(*payments.Declined)) {
				t.Errorf("retry: %v, want ErrPurchaseAbandoned", err)
			}
			if bill := w.state(t, awaited); bill.Status != invoice.StatusVoid {
				t.Errorf("invoice %s, want void", bill.Status)
			}
			if got := w.kept(t); got != kept {
				t.Errorf("the gateway keeps %d, want %d", got, kept)
			}
		})
	}
}

// TestARetryOfAnAbandonedGiftRenewalSaysSo: the same for a gift renewal, whose waiting term was recorded on
// the gift under the request's command: sent again once given up, it answers ErrPurchaseAbandoned, not the
// term as if given.
func TestARetryOfAnAbandonedGiftRenewalSaysSo(t *testing.T) {
	t.Parallel()
	// given Ann's gift renewal waiting for 3-D Secure, given up at its deadline
	w := newGiftWorld(t)
	env := newEnv()
	renewal := commands.GiftRenewal{SubscriptionSale: commands.SubscriptionSale{Target: who(w.ann),
		SubscriptionID: w.donor.ID, PlanID: 4051, Quantity: 1, Payment: threeDSecure}}
	bought, err := w.subscriptions.RenewGift(t.Context(), env, renewal)
	if err != nil || bought.PaymentIntent == nil {
		t.Fatalf("gift renew: %+v, %v; want a payment intent", bought, err)
	}
	if _, err := w.subscriptions.BillDue(t.Context(), w.donor.ID, time.Now().Add(subscription.PaymentDeadline+time.Minute),
		func(commands.BillingAction) {}); err != nil {
		t.Fatal(err)
	}
	phases, kept := len(w.read(t, w.donor.ID).Phases), w.kept(t)
	// when she sends the same request again
	_, err = w.subscriptions.RenewGift(t.Context(), env, renewal)
	// then it answers that the purchase was given up, gives no term and charges nothing
	if !errors.Is(err, commands.ErrPurchaseAbandoned) {
		t.Errorf("retry: %v, want ErrPurchaseAbandoned", err)
	}
	if got := len(w.read(t, w.donor.ID).Phases); got != phases || w.kept(t) != kept {
		t.Errorf("the gift holds %d phases (was %d), the gateway keeps %d (was %d)", got, phases, w.kept(t), kept)
	}
}
