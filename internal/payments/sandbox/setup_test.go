package sandbox_test

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
	"github.com/pelcro-oss/pelcro-api/internal/payments/sandbox"
)

func TestAnAuthenticatedChargeSetsUpTheCardItWasAskedTo(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		setUpCard bool
		confirm   bool
		// the next charge asks for 3-D Secure again
		asksAgain bool
	}{
		{"a charge asked to set the card up, authenticated", true, true, false},
		{"a charge asked to set the card up, never authenticated", true, false, true},
		{"a charge not asked to, authenticated", false, true, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := sandbox.New(open(t, newDatabase(t)))
			ctx := t.Context()
			// given a card saved waiting for its 3-D Secure setup, charged before it was set up
			card, err := g.AttachCard(ctx, payments.AttachCardRequest{Customer: payments.Customer{ID: 7},
				Token: "tok_threeDSecure2Required", IdempotencyKey: "save-7"})
			if err != nil || card.Intent == nil {
				t.Fatalf("attach = %+v, %v; want a card waiting for its setup", card, err)
			}
			charge := func(key string, setUp bool) payments.Charge {
				t.Helper()
				c, err := g.Charge(ctx, payments.ChargeRequest{CustomerGatewayID: card.CustomerGatewayID,
					CardGatewayID: card.Card.GatewayID, Amount: payments.Money{Amount: 900, Currency: "usd"},
					IdempotencyKey: key, SetUpCard: setUp})
				if err != nil {
					t.Fatal(err)
				}
				return c
			}
			first := charge("invoice-1-attempt-1", tc.setUpCard)
			if first.Intent == nil {
				t.Fatal("the first charge took money without 3-D Secure")
			}
			// when the customer authenticates that charge (or not)
			if tc.confirm {
				if _, err := g.Confirm(ctx, first.Intent.ID); err != nil {
					t.Fatal(err)
				}
			}
			// then the next charge asks for 3-D Secure only if the card was not set up by it
			if next := charge("invoice-2-attempt-1", false); (next.Intent != nil) != tc.asksAgain {
				t.Errorf("next charge %+v, want 3-D Secure asked again: %v", next, tc.asksAgain)
			}
			// and the card's own setup intent still waits, as Stripe leaves it
			if setup, err := g.Intent(ctx, card.Intent.ID); err != nil || setup.Status != payments.IntentRequiresAction {
				t.Errorf("setup intent %+v, %v; want it still waiting", setup, err)
			}
		})
	}
}
