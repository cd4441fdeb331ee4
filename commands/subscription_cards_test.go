package commands_test

import (
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// TestASubscriptionsCardCannotBeDeletedUntilItEnds: spec #42 (rule 23), a card a running subscription pays
// with stays; once the subscription is canceled or expired the card is freed and may be deleted. The card
// is never the default here (the customer's first card is, not chargeable yet), so only the subscription's
// use keeps it.
func TestASubscriptionsCardCannotBeDeletedUntilItEnds(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		subscribe func(w *salesWorld, customer, card int64) (commands.CreatedSubscription, error)
	}{
		{"paid plan, card saved from a token", func(w *salesWorld, customer, _ int64) (commands.CreatedSubscription, error) {
			return w.subscriptions.Create(t.Context(), newEnv(), commands.NewSubscription{Target: who(customer),
				PlanID: 4051, Token: "tok_mastercard"})
		}},
		{"paid plan, saved card", func(w *salesWorld, customer, card int64) (commands.CreatedSubscription, error) {
			return w.subscriptions.Create(t.Context(), newEnv(), commands.NewSubscription{Target: who(customer),
				PlanID: 4051, SourceID: card})
		}},
		{"free plan, saved card", func(w *salesWorld, customer, card int64) (commands.CreatedSubscription, error) {
			return w.subscriptions.Create(t.Context(), newEnv(), commands.NewSubscription{Target: who(customer),
				PlanID: 4052, SourceID: card})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newSalesWorld(t)
			// given Ann's default card, waiting for 3-D Secure, and a second one
			ann, second := w.secondCard(t, "tok_amex")
			// when she subscribes with a card that is not her default
			created, err := tc.subscribe(w, ann, second)
			if err != nil {
				t.Fatal(err)
			}
			card := w.read(t, created.SubscriptionID).Payment.SourceID
			if card == 0 {
				t.Fatal("the subscription pays with no card")
			}
			if created.SubscriptionOnly {
				t.Error("the creation held a card but says it wrote nothing a payment method shows")
			}
			// then the card cannot be deleted while the subscription runs
			if _, err := w.wallets.Delete(t.Context(), newEnv(), who(ann), card); !errors.Is(err, wallet.ErrInUse) {
				t.Fatalf("delete the running subscription's card: %v, want ErrInUse", err)
			}
			// when the subscription ends and its end is told to the card
			if _, err := w.subscriptions.Cancel(t.Context(), newEnv(), commands.Cancellation{Target: who(ann),
				SubscriptionID: created.SubscriptionID, Mode: subscription.CancelNow}); err != nil {
				t.Fatal(err)
			}
			if _, err := w.subscriptions.SyncCard(t.Context(), newEnv(), created.SubscriptionID); err != nil {
				t.Fatal(err)
			}
			// then it can be deleted
			if _, err := w.wallets.Delete(t.Context(), newEnv(), who(ann), card); err != nil {
				t.Fatalf("delete the ended subscription's card: %v", err)
			}
			// and telling the end again (a redelivered event) finds nothing to do
			if _, err := w.subscriptions.SyncCard(t.Context(), newEnv(), created.SubscriptionID); err != nil {
				t.Errorf("release the card again, deleted since: %v", err)
			}
		})
	}
}

// TestADeclinedCreationHoldsNoCard: a first charge refused leaves no subscription, and no card held for it.
func TestADeclinedCreationHoldsNoCard(t *testing.T) {
	t.Parallel()
	w := newSalesWorld(t)
	ann, failing := w.secondCard(t, "tok_chargeCustomerFail") // saves fine, every charge is declined
	_, err := w.subscriptions.Create(t.Context(), newEnv(), commands.NewSubscription{Target: who(ann), PlanID: 4051,
		SourceID: failing})
	if err == nil {
		t.Fatal("a declined first charge created the subscription")
	}
	if _, err := w.wallets.Delete(t.Context(), newEnv(), who(ann), failing); err != nil {
		t.Errorf("delete the declined card: %v", err)
	}
}

// TestAGiftHoldsNoCard: the donor's subscription is never charged unasked and never ends, so the card that
// paid for a gift stays the donor's to delete.
func TestAGiftHoldsNoCard(t *testing.T) {
	t.Parallel()
	w := newSalesWorld(t)
	ann, card := w.secondCard(t, "tok_amex")
	if _, err := w.subscriptions.Create(t.Context(), newEnv(), commands.NewSubscription{Target: who(ann), PlanID: 4051,
		SourceID: card, Gift: subscription.Gift{RecipientEmail: "bo@example.com"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.wallets.Delete(t.Context(), newEnv(), who(ann), card); err != nil {
		t.Errorf("delete the card that paid for a gift: %v", err)
	}
}

// secondCard registers Ann with a default card that cannot be charged yet (it waits for its 3-D Secure
// setup) and saves a second card of token, which only a subscription's use can keep from being deleted: with
// no chargeable default, a subscription created with it charges it (TestRenewalsChargeTheDefaultCard has
// the chargeable default); it returns Ann and that card.
func (w *invoiceWorld) secondCard(t *testing.T, token string) (ann, card int64) {
	t.Helper()
	ann = w.register(t, "ann@example.com", "ann")
	w.saveCard(t, ann, "tok_threeDSecure2Required")
	return ann, w.saveCard(t, ann, token)
}
