package stripe_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// formRecorder stands between the adapter and stripe-mock and keeps the form of every PaymentIntent
// creation it forwards.
type formRecorder struct {
	proxy *httputil.ReverseProxy
	mu    sync.Mutex
	forms []url.Values
}

func (f *formRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	if r.URL.Path == "/v1/payment_intents" {
		form, _ := url.ParseQuery(string(body))
		f.mu.Lock()
		f.forms = append(f.forms, form)
		f.mu.Unlock()
	}
	f.proxy.ServeHTTP(w, r)
}

func TestAChargeThatSetsUpItsCardAsksStripeToKeepItForLaterCharges(t *testing.T) {
	t.Parallel()
	target, err := url.Parse(requiringAction.url(t))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name      string
		setUpCard bool
		want      string
	}{
		{"a card waiting for its setup", true, "off_session"},
		{"a card set up already", false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			recorder := &formRecorder{proxy: httputil.NewSingleHostReverseProxy(target)}
			server := httptest.NewServer(recorder)
			t.Cleanup(server.Close)
			// when a saved card is charged
			_, err := gatewayAt(server.URL).Charge(t.Context(), payments.ChargeRequest{CustomerGatewayID: "cus_1",
				CardGatewayID: "pm_card_threeDSecure2Required", Amount: payments.Money{Amount: 900, Currency: "usd"},
				IdempotencyKey: "invoice-7-attempt-1", SetUpCard: tc.setUpCard})
			if err != nil {
				t.Fatal(err)
			}
			// then the PaymentIntent asks to set the card up for later off-session charges only when told to
			recorder.mu.Lock()
			defer recorder.mu.Unlock()
			if len(recorder.forms) != 1 || recorder.forms[0].Get("setup_future_usage") != tc.want {
				t.Errorf("PaymentIntent creations %v, want one with setup_future_usage %q", recorder.forms, tc.want)
			}
		})
	}
}
