package commands_test

import (
	"errors"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
)

// TestAnEndForGoodFreesTheCard: told of a subscription (SyncCard, the reactor's command), its card is held,
// and freed when dunning cancels it; it is kept while the subscription runs or when dunning leaves it unpaid
// (paying its open invoice revives it).
func TestAnEndForGoodFreesTheCard(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	for _, tc := range []struct {
		name       string
		keepUnpaid bool
		until      time.Duration // after the first renewal
		freed      bool
	}{
		{"running (past due)", false, 0, false},
		{"canceled after the last retry", false, 7 * day, true},
		{"unpaid after the last retry", true, 30 * day, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newBillingWorld(t)
			w.catalog.policy.Dunning.KeepUnpaid = tc.keepUnpaid
			w.subscriptions.Catalog = w.catalog
			// given Ann's default card, not chargeable yet, and a subscription paying with a second one whose
			// charges fail
			ann, card := w.secondCard(t, "tok_chargeCustomerFail")
			id := w.subscribe(t, ann, card, monthlyTerms, billingStart) // recorded without holding its card
			// when its creation is told to the card (the reactor), the card is held
			if _, err := w.subscriptions.SyncCard(t.Context(), newEnv(), id); err != nil {
				t.Fatal(err)
			}
			if _, err := w.wallets.Delete(t.Context(), newEnv(), who(ann), card); !errors.Is(err, wallet.ErrInUse) {
				t.Fatalf("delete the card of a subscription told of: %v, want ErrInUse", err)
			}
			// when the clock runs dunning as far as the time allows, and the outcome is told to the card
			if _, err := w.bill(t, id, firstRenewal.Add(tc.until)); err != nil {
				t.Fatal(err)
			}
			if _, err := w.subscriptions.SyncCard(t.Context(), newEnv(), id); err != nil {
				t.Fatal(err)
			}
			// then the card can be deleted only once the subscription ended for good
			_, err := w.wallets.Delete(t.Context(), newEnv(), who(ann), card)
			if tc.freed && err != nil {
				t.Errorf("delete the card of a %s subscription: %v", w.read(t, id).Status, err)
			}
			if !tc.freed && !errors.Is(err, wallet.ErrInUse) {
				t.Errorf("delete the card of a %s subscription: %v, want ErrInUse", w.read(t, id).Status, err)
			}
		})
	}
}

// TestAGiftTellsNoCard: the card that paid for a gift is never held, even when the gift's creation is told.
func TestAGiftTellsNoCard(t *testing.T) {
	t.Parallel()
	w := newBillingWorld(t)
	ann, card := w.secondCard(t, "tok_mastercard")
	id := w.newID()
	w.decide(t, id, func(s subscription.State) ([]subscription.Event, error) {
		return subscription.Create(s, subscription.New{SubscriptionID: id, CustomerID: ann, AccountID: 1, SiteID: 1,
			Terms: monthlyTerms, Quantity: 1, Payment: subscription.Payment{SourceID: card, Gateway: "stripe"},
			PeriodAmount: monthlyTerms.Amount, Paid: true, Gift: subscription.Gift{RecipientEmail: "bo@example.com"}},
			billingStart)
	})
	if _, err := w.subscriptions.SyncCard(t.Context(), newEnv(), id); err != nil {
		t.Fatal(err)
	}
	if _, err := w.wallets.Delete(t.Context(), newEnv(), who(ann), card); err != nil {
		t.Errorf("delete the card that paid for a gift: %v", err)
	}
}

// TestHoldingADeletedCardRecordsNothing: a card deleted between a creation's charge and its hold is no error.
func TestHoldingADeletedCardRecordsNothing(t *testing.T) {
	t.Parallel()
	w := newBillingWorld(t)
	ann, card := w.secondCard(t, "tok_mastercard")
	if _, err := w.wallets.Delete(t.Context(), newEnv(), who(ann), card); err != nil {
		t.Fatal(err)
	}
	got, err := w.wallets.UseCard(t.Context(), newEnv(), who(ann), card, 42, true)
	if err != nil || !got.Written().IsZero() {
		t.Errorf("hold a deleted card: %+v, %v; want nothing written and no error", got, err)
	}
}
