package main

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
	"github.com/pelcro-oss/pelcro-api/internal/pg"
)

func TestTheStripeKeyChoosesTheGateway(t *testing.T) {
	t.Parallel()
	db, err := pg.Connect(t.Context(), migratedDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	// a Stripe that refuses every card, noting the key it was called with
	var calledWith atomic.Value
	stripeAPI := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calledWith.Store(r.Header.Get("Authorization"))
		w.Header().Set("Stripe-Should-Retry", "false")
		w.WriteHeader(http.StatusPaymentRequired)
		_, _ = io.WriteString(w, `{"error":{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds"}}`)
	}))
	t.Cleanup(stripeAPI.Close)
	tests := []struct {
		name string
		cfg  config.Config
		// want is the decline tok_chargeDeclined gets
		want      payments.DeclineReason
		stripeKey string
	}{
		{"no key: the sandbox", config.Config{}, payments.CardDeclined, ""},
		{"a key: Stripe at the API base", config.Config{StripeSecretKey: "sk_test_chosen", StripeAPIBase: stripeAPI.URL}, payments.InsufficientFunds, "Bearer sk_test_chosen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calledWith.Store("")
			// when the gateway the configuration picks is asked to charge tok_chargeDeclined
			g := paymentGateway(tt.cfg, db.DB, slog.New(slog.DiscardHandler))
			_, err := g.Charge(t.Context(), payments.ChargeRequest{Token: "tok_chargeDeclined", Amount: payments.Money{Amount: 100, Currency: "usd"}, IdempotencyKey: tt.name})
			// then the answer comes from that gateway: the sandbox's own decline, or Stripe's, called with the key
			var declined *payments.Declined
			if !errors.As(err, &declined) || declined.Reason != tt.want {
				t.Errorf("charge: %v, want decline %q", err, tt.want)
			}
			if got := calledWith.Load(); got != tt.stripeKey {
				t.Errorf("Stripe called with %q, want %q", got, tt.stripeKey)
			}
		})
	}
}
