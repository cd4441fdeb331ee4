package paymentstest

import (
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// tokenCase is one of Stripe's test tokens and what saving or charging it gives; every case runs with its tok_
// name and its pm_card_ equivalent.
type tokenCase struct {
	name     string // without prefix
	brand    string
	last4    string
	declined payments.DeclineReason
}

var tokenCases = []tokenCase{
	{name: "visa", brand: "visa", last4: "4242"},
	{name: "mastercard", brand: "mastercard", last4: "4444"},
	{name: "amex", brand: "amex", last4: "8431"},
	{name: "chargeDeclined", declined: payments.CardDeclined},
	{name: "chargeDeclinedInsufficientFunds", declined: payments.InsufficientFunds},
	{name: "chargeDeclinedExpiredCard", declined: payments.ExpiredCard},
	{name: "chargeDeclinedIncorrectCvc", declined: payments.IncorrectCVC},
	{name: "chargeDeclinedProcessingError", declined: payments.ProcessingError},
	{name: "noSuchCard", declined: payments.InvalidToken},
}

func (s suite) testTokensSave(t *testing.T) {
	for _, tc := range tokenCases {
		for _, token := range []string{"tok_" + tc.name, "pm_card_" + tc.name} {
			t.Run(token, func(t *testing.T) {
				// when the card is saved
				card, err := s.Gateway.AttachCard(t.Context(), payments.AttachCardRequest{
					Customer: s.customer(), Token: token, IdempotencyKey: s.key(t, "attach"),
				})
				// then it is saved with its brand and last four digits, or declined for its reason
				if got := declineReason(err); got != tc.declined || (err != nil && tc.declined == "") {
					t.Fatalf("attach: %v, want decline %q", err, tc.declined)
				}
				if tc.declined == "" && (card.Card.Brand != tc.brand || card.Card.Last4 != tc.last4 || card.Intent != nil) {
					t.Errorf("card = %+v, want %s ending %s", card, tc.brand, tc.last4)
				}
			})
		}
	}
}

func (s suite) testTokensCharge(t *testing.T) {
	for _, tc := range tokenCases {
		for _, token := range []string{"tok_" + tc.name, "pm_card_" + tc.name} {
			t.Run(token, func(t *testing.T) {
				// when the token is charged directly
				charge, err := s.Gateway.Charge(t.Context(), payments.ChargeRequest{Token: token, Amount: usd(990), IdempotencyKey: s.key(t, "charge")})
				// then the money is taken, or the charge declined for its reason
				if got := declineReason(err); got != tc.declined || (err != nil && tc.declined == "") {
					t.Fatalf("charge: %v, want decline %q", err, tc.declined)
				}
				if tc.declined == "" && (charge.Amount != usd(990) || charge.Card.Last4 != tc.last4 || charge.Intent != nil) {
					t.Errorf("charge = %+v, want 990 usd from the card ending %s", charge, tc.last4)
				}
			})
		}
	}
}

func (s suite) customerFailCard(t *testing.T) {
	// given a card saved from tok_chargeCustomerFail
	card := s.attach(t, "tok_chargeCustomerFail")
	// when it is charged, twice
	for _, attempt := range []string{"attempt-1", "attempt-2"} {
		_, err := s.Gateway.Charge(t.Context(), chargeOf(card, usd(1500), s.key(t, attempt)))
		// then every charge is declined as a plain decline
		if declineReason(err) != payments.CardDeclined {
			t.Errorf("%s: %v, want %q", attempt, err, payments.CardDeclined)
		}
	}
}

func (s suite) threeDSecureSetup(t *testing.T) {
	// given a card that needs 3-D Secure, saved
	card := s.attach(t, "tok_threeDSecure2Required")
	setup := card.Intent
	if setup == nil || setup.Kind != payments.SetupIntent || setup.Status != payments.IntentRequiresAction || setup.ClientSecret == "" {
		t.Fatalf("setup intent = %+v, want a setup_intent requiring action with a client secret", setup)
	}
	// when it is charged before the customer authenticated
	waiting, err := s.Gateway.Charge(t.Context(), chargeOf(card, usd(700), s.key(t, "before")))
	// then the charge asks for 3-D Secure too
	if err != nil || waiting.Intent == nil || waiting.Intent.Status != payments.IntentRequiresAction {
		t.Fatalf("charge before authentication = %+v (%v), want a payment intent requiring action", waiting, err)
	}
	if s.Confirm == nil {
		return
	}
	// when the customer completes the setup intent
	s.confirm(t, setup.ID)
	// then the card is charged without asking again
	charge, err := s.Gateway.Charge(t.Context(), chargeOf(card, usd(700), s.key(t, "after")))
	if err != nil || charge.Intent != nil || charge.Amount != usd(700) {
		t.Fatalf("charge after authentication = %+v (%v), want 700 usd taken", charge, err)
	}
}

func (s suite) threeDSecureCharge(t *testing.T) {
	// when a card that needs 3-D Secure is charged from its token
	charge, err := s.Gateway.Charge(t.Context(), payments.ChargeRequest{Token: "tok_threeDSecure2Required", Amount: usd(2500), IdempotencyKey: s.key(t, "charge")})
	// then the answer is a payment intent requiring action, and nothing can be refunded yet
	intent := charge.Intent
	if err != nil || intent == nil || intent.Kind != payments.PaymentIntent || intent.Status != payments.IntentRequiresAction || intent.ClientSecret == "" {
		t.Fatalf("charge = %+v (%v), want a payment_intent requiring action with a client secret", charge, err)
	}
	if _, err := s.Gateway.Refund(t.Context(), payments.RefundRequest{ChargeGatewayID: charge.GatewayID, Amount: usd(2500), IdempotencyKey: s.key(t, "early refund")}); err == nil {
		t.Error("refunded a charge that took nothing yet")
	}
	if s.Confirm == nil {
		return
	}
	// when the customer completes it
	s.confirm(t, intent.ID)
	// then the money was taken and can be refunded
	if _, err := s.Gateway.Refund(t.Context(), payments.RefundRequest{ChargeGatewayID: charge.GatewayID, Amount: usd(2500), IdempotencyKey: s.key(t, "refund")}); err != nil {
		t.Errorf("refund after confirmation: %v", err)
	}
}

// confirm completes an intent and checks the gateway then reports it succeeded.
func (s suite) confirm(t *testing.T, intentID string) {
	t.Helper()
	if err := s.Confirm(t.Context(), intentID); err != nil {
		t.Fatalf("confirm %s: %v", intentID, err)
	}
	if intent, err := s.Gateway.Intent(t.Context(), intentID); err != nil || intent.Status != payments.IntentSucceeded {
		t.Fatalf("intent after confirmation = %+v (%v), want succeeded", intent, err)
	}
}

func (s suite) unknownIntent(t *testing.T) {
	if _, err := s.Gateway.Intent(t.Context(), "pi_neverIssued"); !errors.Is(err, payments.ErrUnknownIntent) {
		t.Errorf("Intent(pi_neverIssued): %v, want payments.ErrUnknownIntent", err)
	}
}

func (s suite) keyReused(t *testing.T) {
	key := s.key(t, "one key")
	if _, err := s.Gateway.Charge(t.Context(), payments.ChargeRequest{Token: "tok_visa", Amount: usd(100), IdempotencyKey: key}); err != nil {
		t.Fatal(err)
	}
	// when the key is sent again with another amount
	charge, err := s.Gateway.Charge(t.Context(), payments.ChargeRequest{Token: "tok_visa", Amount: usd(10000), IdempotencyKey: key})
	// then the gateway refuses it rather than answering the first charge as if it were this one
	if err == nil {
		t.Fatalf("second request under one key answered %+v", charge)
	}
}
