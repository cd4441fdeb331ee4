package sandbox_test

import (
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
	"github.com/pelcro-oss/pelcro-api/internal/payments/sandbox"
)

// A saved card's charge reads the card once and then remembers it (sandbox's settledCards): charges served
// from memory keep the table's rules (another customer's use refused, a key answered with its first charge).
func TestARememberedCardChargesAsTheTableSays(t *testing.T) {
	t.Parallel()
	db := open(t, newDatabase(t))
	g := sandbox.New(db)
	owner := payments.Customer{ID: 7}
	card, err := g.AttachCard(t.Context(), payments.AttachCardRequest{Customer: owner, Token: "tok_visa", IdempotencyKey: "save"})
	if err != nil {
		t.Fatal(err)
	}
	charge := func(customer, key string) (payments.Charge, error) {
		return g.Charge(t.Context(), payments.ChargeRequest{CustomerGatewayID: customer, CardGatewayID: card.Card.GatewayID,
			Amount: payments.Money{Amount: 500, Currency: "usd"}, IdempotencyKey: key})
	}
	// given the card charged once, so the gateway remembers it
	first, err := charge(card.CustomerGatewayID, "renewal-1")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, customer, key string
		wantDecline         payments.DeclineReason
		wantID              string // "" : a new charge
		wantTaken           int
	}{
		{"another customer's charge of it is an invalid token", "cus_other", "stolen", payments.InvalidToken, "", 1},
		{"the same key answers the first charge", card.CustomerGatewayID, "renewal-1", "", first.GatewayID, 1},
		{"a new key takes a new charge", card.CustomerGatewayID, "renewal-2", "", "", 2},
	}
	for _, tt := range tests { // in order: each row counts the charges taken so far
		// when it is charged
		got, err := charge(tt.customer, tt.key)
		// then it answers as the table says, and takes money only for a new key
		var declined *payments.Declined
		switch {
		case tt.wantDecline != "" && (!errors.As(err, &declined) || declined.Reason != tt.wantDecline):
			t.Errorf("%s: error %v, want declined %s", tt.name, err, tt.wantDecline)
		case tt.wantDecline == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.wantID != "" && got.GatewayID != tt.wantID, tt.wantID == "" && tt.wantDecline == "" && got.GatewayID == first.GatewayID:
			t.Errorf("%s: charge %s (first %s)", tt.name, got.GatewayID, first.GatewayID)
		}
		var taken int
		if err := db.QueryRow(`SELECT count(*) FROM payments_sandbox_charges`).Scan(&taken); err != nil || taken != tt.wantTaken {
			t.Errorf("%s: %d charges taken (%v), want %d", tt.name, taken, err, tt.wantTaken)
		}
	}
}
