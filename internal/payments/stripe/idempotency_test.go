package stripe_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// answerDropper stands between the adapter and stripe-mock: it forwards every request, notes the
// Idempotency-Key each path was sent with, and drops the answers to the first `drops` PaymentIntent
// creations after stripe-mock handled them, as a connection lost after Stripe charged does.
type answerDropper struct {
	proxy *httputil.ReverseProxy
	mu    sync.Mutex
	drops int
	keys  map[string][]string
}

func newAnswerDropper(t *testing.T, base string, drops int) (*answerDropper, string) {
	target, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	d := &answerDropper{proxy: httputil.NewSingleHostReverseProxy(target), drops: drops, keys: map[string][]string{}}
	server := httptest.NewServer(d)
	t.Cleanup(server.Close)
	return d, server.URL
}

func (d *answerDropper) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	d.keys[r.URL.Path] = append(d.keys[r.URL.Path], r.Header.Get("Idempotency-Key"))
	drop := r.URL.Path == "/v1/payment_intents" && d.drops > 0
	if drop {
		d.drops--
	}
	d.mu.Unlock()
	if !drop {
		d.proxy.ServeHTTP(w, r)
		return
	}
	d.proxy.ServeHTTP(httptest.NewRecorder(), r) // Stripe charged ...
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		_ = conn.Close() // ... and the answer never arrives
	}
}

func (d *answerDropper) keysOf(path string) []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.keys[path])
}

func TestAChargeRetriedAfterATimeoutSendsTheSameIdempotencyKey(t *testing.T) {
	t.Parallel()
	mock := succeeding.url(t)
	const key = "invoice-12-attempt-1"
	req := payments.ChargeRequest{Token: "tok_visa", Amount: payments.Money{Amount: 1500, Currency: "usd"}, IdempotencyKey: key}
	tests := []struct {
		name  string
		drops int
		// firstErr is what the caller's first attempt returns once stripe-go's own retries are spent
		firstErr error
	}{
		{"the first answer lost", 1, nil},
		{"every answer lost", 100, payments.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dropper, base := newAnswerDropper(t, mock, tt.drops)
			g := gatewayAt(base)
			// when a charge's answer is lost and the caller tries again with the same key
			_, first := g.Charge(t.Context(), req)
			if !errors.Is(first, tt.firstErr) || (first != nil && declineReason(first) != "") {
				t.Fatalf("first attempt: %v, want %v", first, tt.firstErr)
			}
			_, _ = g.Charge(t.Context(), req)
			// then every request that could charge carried the caller's key, so Stripe charged once
			sent := dropper.keysOf("/v1/payment_intents")
			if len(sent) < 3 || slices.ContainsFunc(sent, func(k string) bool { return k != key }) {
				t.Errorf("PaymentIntent creations sent keys %q, want %q on each of at least 3", sent, key)
			}
			// and the token became a payment method under a key of its own, the same on every attempt
			for _, k := range dropper.keysOf("/v1/payment_methods") {
				if k != key+"/payment-method" {
					t.Errorf("payment method created with key %q, want %q", k, key+"/payment-method")
				}
			}
		})
	}
}

func TestTwoFirstCardsOfACustomerCreateOneStripeCustomer(t *testing.T) {
	t.Parallel()
	dropper, base := newAnswerDropper(t, succeeding.url(t), 0)
	g := gatewayAt(base)
	// when two first cards of one customer are saved at once
	var wg sync.WaitGroup
	for _, key := range []string{"save-a", "save-b"} {
		wg.Go(func() {
			req := payments.AttachCardRequest{Customer: payments.Customer{ID: 9, Email: "ada@example.com"}, Token: "tok_visa", IdempotencyKey: key}
			if _, err := g.AttachCard(t.Context(), req); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	// then both customer creations carried one key, which Stripe answers with one customer
	sent := dropper.keysOf("/v1/customers")
	if len(sent) != 2 || sent[0] != sent[1] || sent[0] == "" {
		t.Errorf("customer creations sent keys %q, want one key twice", sent)
	}
}

func declineReason(err error) payments.DeclineReason {
	var declined *payments.Declined
	if errors.As(err, &declined) {
		return declined.Reason
	}
	return ""
}
