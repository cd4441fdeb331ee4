// Package paymentstest is the one contract suite every payments.Gateway adapter passes: what the commands
// may rely on whichever processor is behind the port. Each adapter's tests call Run with a Target. The shared
// part checks what crosses the port (card details, money in minor units, refunds, an unreachable processor
// reported as unavailable); the part about Stripe's test tokens and remembered keys (declines, 3-D Secure,
// a retried charge answered by the first) runs only for targets that behave like Stripe's test mode: the
// sandbox, not stripe-mock, which is stateless and answers fixtures whatever the token. The Stripe adapter's
// own tests check what stripe-mock cannot answer (the Idempotency-Key it sends, Stripe's error bodies).
package paymentstest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// Target is one adapter under test.
type Target struct {
	// Gateway is the adapter, shared by every subtest (each uses idempotency keys of its own).
	Gateway payments.Gateway
	// Unreachable is the same adapter with its processor out of reach (a closed port, a closed database).
	Unreachable payments.Gateway
	// TestMode says the gateway behaves like Stripe's test mode: refusing tokens decline, unknown tokens are
	// invalid, tok_threeDSecure2Required asks for 3-D Secure, ids it never issued are unknown, and a key sent
	// again answers its first outcome.
	TestMode bool
	// Confirm completes an intent as the customer passing 3-D Secure would; nil when only a browser can.
	Confirm func(ctx context.Context, intentID string) error
}

// Run checks the contract against target.
func Run(t *testing.T, target Target) {
	s := suite{Target: target, run: randomRun(t)}
	t.Run("a saved card tells what the customer sees of it", s.savedCardDetails)
	t.Run("a charge takes the amount asked in minor units", s.chargeTakesTheAmount)
	t.Run("a refund gives back part of a charge", s.refundGivesBack)
	t.Run("an unreachable processor is unavailable, not a decline", s.unreachableIsUnavailable)
	t.Run("a token with a control character is invalid, not an outage", s.controlCharacterTokenIsInvalid)
	if target.TestMode {
		t.Run("test tokens save or decline as Stripe documents", s.testTokensSave)
		t.Run("test tokens charge or decline as Stripe documents", s.testTokensCharge)
		t.Run("a card that fails charges saves and then declines", s.customerFailCard)
		t.Run("a 3-D Secure card is chargeable once its setup intent succeeds", s.threeDSecureSetup)
		t.Run("a 3-D Secure charge takes nothing until its intent succeeds", s.threeDSecureCharge)
		t.Run("an intent the gateway never issued is unknown", s.unknownIntent)
		t.Run("a canceled payment intent can no longer take money", s.canceledIntentStaysCanceled)
		t.Run("a retried charge answers the first one", s.retriedChargeAnswersTheFirst)
		t.Run("a charge retried after a timeout answers the charge taken", s.chargeRetriedAfterTimeout)
		t.Run("a key reused for another request is refused", s.keyReused)
	}
}

type suite struct {
	Target
	run string // keeps the keys of this run apart from earlier runs against the same processor
}

// key is an idempotency key for one call of one subtest.
func (s suite) key(t *testing.T, call string) string {
	return s.run + "/" + t.Name() + "/" + call
}

// customer is a customer of ours that has no gateway record yet.
func (s suite) customer() payments.Customer {
	return payments.Customer{ID: 42, Email: "ada@example.com"}
}

// attach saves token and fails the test when the gateway refuses it.
func (s suite) attach(t *testing.T, token string) payments.AttachedCard {
	t.Helper()
	card, err := s.Gateway.AttachCard(t.Context(), payments.AttachCardRequest{
		Customer: s.customer(), Token: token, IdempotencyKey: s.key(t, "attach "+token),
	})
	if err != nil {
		t.Fatalf("attach %s: %v", token, err)
	}
	return card
}

// chargeOf asks to charge amount to a saved card under key.
func chargeOf(card payments.AttachedCard, amount payments.Money, key string) payments.ChargeRequest {
	return payments.ChargeRequest{
		CustomerGatewayID: card.CustomerGatewayID, CardGatewayID: card.Card.GatewayID,
		Amount: amount, Description: "Invoice #1", IdempotencyKey: key,
	}
}

// declineReason is the reason err declines with, "" when err is no decline.
func declineReason(err error) payments.DeclineReason {
	var declined *payments.Declined
	if errors.As(err, &declined) {
		return declined.Reason
	}
	return ""
}

func randomRun(t *testing.T) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
