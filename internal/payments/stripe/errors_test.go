package stripe_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
	"github.com/pelcro-oss/pelcro-api/internal/payments/stripe"
)

// stripeAnswering is a server answering every request with one of Stripe's documented error bodies:
// stripe-mock cannot be made to refuse a card.
func stripeAnswering(t *testing.T, status int, body string) string {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Stripe-Should-Retry", "false") // as Stripe says of errors a retry cannot fix
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(server.Close)
	return server.URL
}

func TestStripeErrorsBecomeTheReasonsTheAPITells(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		status   int
		body     string
		declined payments.DeclineReason
		err      error
	}{
		{"a generic decline", 402, `{"error":{"type":"card_error","code":"card_declined","decline_code":"generic_decline","message":"Your card was declined."}}`, payments.CardDeclined, nil},
		{"insufficient funds", 402, `{"error":{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds","message":"Your card has insufficient funds."}}`, payments.InsufficientFunds, nil},
		{"an expired card", 402, `{"error":{"type":"card_error","code":"expired_card","decline_code":"expired_card","message":"Your card has expired."}}`, payments.ExpiredCard, nil},
		{"a wrong security code", 402, `{"error":{"type":"card_error","code":"incorrect_cvc","decline_code":"incorrect_cvc","message":"Your card's security code is incorrect."}}`, payments.IncorrectCVC, nil},
		{"a processing error", 402, `{"error":{"type":"card_error","code":"processing_error","decline_code":"processing_error","message":"An error occurred while processing your card."}}`, payments.ProcessingError, nil},
		{"a stolen card (no message of its own)", 402, `{"error":{"type":"card_error","code":"card_declined","decline_code":"stolen_card","message":"Your card was declined."}}`, payments.CardDeclined, nil},
		{"a token Stripe does not know", 400, `{"error":{"type":"invalid_request_error","code":"resource_missing","param":"card[token]","message":"No such token: 'tok_nope'"}}`, payments.InvalidToken, nil},
		{"Stripe failing", 500, `{"error":{"type":"api_error","message":"An unknown error occurred"}}`, "", payments.ErrUnavailable},
		{"Stripe limiting the rate", 429, `{"error":{"type":"invalid_request_error","code":"rate_limit","message":"Too many requests"}}`, "", payments.ErrUnavailable},
		{"a key reused for other parameters", 400, `{"error":{"type":"idempotency_error","message":"Keys for idempotent requests can only be used with the same parameters"}}`, "", stripe.ErrKeyReused},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := gatewayAt(stripeAnswering(t, tt.status, tt.body))
			// when Stripe answers a charge and a card saving with that error
			_, chargeErr := g.Charge(t.Context(), payments.ChargeRequest{Token: "tok_visa", Amount: payments.Money{Amount: 100, Currency: "usd"}, IdempotencyKey: "k"})
			_, attachErr := g.AttachCard(t.Context(), payments.AttachCardRequest{Customer: payments.Customer{ID: 1, GatewayID: "cus_1"}, Token: "pm_card_visa", IdempotencyKey: "k"})
			// then both are the decline the customer is told of, or the error the caller acts on
			for call, err := range map[string]error{"charge": chargeErr, "attach": attachErr} {
				if got := declineReason(err); got != tt.declined || (tt.err != nil && !errors.Is(err, tt.err)) {
					t.Errorf("%s: %v (decline %q), want decline %q / %v", call, err, got, tt.declined, tt.err)
				}
			}
		})
	}
}

func TestAMalformedTokenIsRefusedWithoutAskingStripe(t *testing.T) {
	t.Parallel()
	// given a Stripe that fails the test if asked anything
	g := gatewayAt(stripeAnswering(t, 500, `{"error":{"type":"api_error","message":"asked"}}`))
	for _, token := range []string{"", "visa", "src_123", "tok", "\x00", "tok_", "pm_", "tok_visa\x00", "pm_card_visa\x00",
		"pm_card_visa\x00x", "tok_visa\n", "tok_visa x", "pm_card_visa/../x", "tok_vísa"} {
		// when a card is saved or charged with a token no Stripe id looks like
		_, attachErr := g.AttachCard(t.Context(), payments.AttachCardRequest{Customer: payments.Customer{ID: 1, GatewayID: "cus_1"}, Token: token, IdempotencyKey: "k"})
		_, chargeErr := g.Charge(t.Context(), payments.ChargeRequest{Token: token, Amount: payments.Money{Amount: 100, Currency: "usd"}, IdempotencyKey: "k"})
		// then it is an invalid token, never an outage to retry
		for call, err := range map[string]error{"attach": attachErr, "charge": chargeErr} {
			if declineReason(err) != payments.InvalidToken || errors.Is(err, payments.ErrUnavailable) {
				t.Errorf("%s with token %q: %v, want an invalid token", call, token, err)
			}
		}
	}
}
