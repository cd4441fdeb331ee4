package paymentstest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

var usd = func(amount int64) payments.Money { return payments.Money{Amount: amount, Currency: "usd"} }

func (s suite) savedCardDetails(t *testing.T) {
	for _, token := range []string{"tok_visa", "pm_card_visa"} {
		t.Run(token, func(t *testing.T) {
			// when a visa is saved for a customer the gateway does not know yet
			first := s.attach(t, token)
			// then the answer names the card, the gateway's new customer and what the customer sees of the card
			if first.CustomerGatewayID == "" || first.Card.GatewayID == "" {
				t.Fatalf("attached card without ids: %+v", first)
			}
			if c := first.Card; c.Brand != "visa" || c.Last4 != "4242" || c.ExpMonth < 1 || c.ExpMonth > 12 || c.ExpYear < 2000 {
				t.Errorf("card = %+v, want a visa ending 4242 with a valid expiry", c)
			}
			if first.Intent != nil {
				t.Errorf("a visa asked for 3-D Secure: %+v", first.Intent)
			}
			// when a second card is saved for the customer the gateway now knows
			second, err := s.Gateway.AttachCard(t.Context(), payments.AttachCardRequest{
				Customer: payments.Customer{ID: 42, GatewayID: first.CustomerGatewayID}, Token: token, IdempotencyKey: s.key(t, "second"),
			})
			// then it lands under the same gateway customer
			if err != nil || second.CustomerGatewayID != first.CustomerGatewayID {
				t.Errorf("second card under %q (%v), want %q", second.CustomerGatewayID, err, first.CustomerGatewayID)
			}
		})
	}
}

func (s suite) chargeTakesTheAmount(t *testing.T) {
	card := s.attach(t, "tok_visa")
	tests := []struct {
		name   string
		charge payments.ChargeRequest
	}{
		{"a saved card", payments.ChargeRequest{CustomerGatewayID: card.CustomerGatewayID, CardGatewayID: card.Card.GatewayID, Amount: usd(1999)}},
		{"a single-use token", payments.ChargeRequest{Token: "tok_visa", Amount: payments.Money{Amount: 500, Currency: "eur"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// when the charge is sent
			tt.charge.IdempotencyKey = s.key(t, "charge")
			charge, err := s.Gateway.Charge(t.Context(), tt.charge)
			// then it took exactly that amount, in that currency, from a visa ending 4242
			if err != nil {
				t.Fatal(err)
			}
			if charge.GatewayID == "" || charge.Amount != tt.charge.Amount || charge.Intent != nil {
				t.Errorf("charge = %+v, want %+v taken", charge, tt.charge.Amount)
			}
			if charge.Card.Brand != "visa" || charge.Card.Last4 != "4242" {
				t.Errorf("charged card = %+v, want the visa ending 4242", charge.Card)
			}
		})
	}
}

func (s suite) refundGivesBack(t *testing.T) {
	card := s.attach(t, "tok_visa")
	charge, err := s.Gateway.Charge(t.Context(), chargeOf(card, usd(2000), s.key(t, "charge")))
	if err != nil {
		t.Fatal(err)
	}
	// when part of the charge is refunded
	refund, err := s.Gateway.Refund(t.Context(), payments.RefundRequest{ChargeGatewayID: charge.GatewayID, Amount: usd(500), IdempotencyKey: s.key(t, "refund")})
	// then the refund gives back that part
	if err != nil || refund.GatewayID == "" || refund.Amount != usd(500) {
		t.Fatalf("refund = %+v (%v), want 500 usd back", refund, err)
	}
}

func (s suite) unreachableIsUnavailable(t *testing.T) {
	ctx := t.Context()
	// when the processor cannot be reached
	_, attachErr := s.Unreachable.AttachCard(ctx, payments.AttachCardRequest{Customer: s.customer(), Token: "tok_visa", IdempotencyKey: s.key(t, "attach")})
	_, chargeErr := s.Unreachable.Charge(ctx, payments.ChargeRequest{Token: "tok_visa", Amount: usd(100), IdempotencyKey: s.key(t, "charge")})
	// then the outcome is unknown (retry with the same key), never a decline the customer would be told of
	for name, err := range map[string]error{"attach": attachErr, "charge": chargeErr} {
		if !errors.Is(err, payments.ErrUnavailable) || declineReason(err) != "" {
			t.Errorf("%s: %v, want payments.ErrUnavailable", name, err)
		}
	}
}

func (s suite) controlCharacterTokenIsInvalid(t *testing.T) {
	for i, token := range []string{"tok_visa\x00", "pm_card_visa\x00", "tok_visa\x00x", "tok_visa\n"} {
		// when a card is saved or charged with a known test token spoilt by a control character
		_, attachErr := s.Gateway.AttachCard(t.Context(), payments.AttachCardRequest{Customer: s.customer(), Token: token,
			IdempotencyKey: s.key(t, fmt.Sprint("attach ", i))})
		_, chargeErr := s.Gateway.Charge(t.Context(), payments.ChargeRequest{Token: token, Amount: usd(100),
			IdempotencyKey: s.key(t, fmt.Sprint("charge ", i))})
		// then it is an invalid token the customer is told of, never an outage to retry
		for name, err := range map[string]error{"attach": attachErr, "charge": chargeErr} {
			if declineReason(err) != payments.InvalidToken || errors.Is(err, payments.ErrUnavailable) {
				t.Errorf("%s %q: %v, want an invalid token", name, token, err)
			}
		}
	}
}
