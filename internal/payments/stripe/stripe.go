// Package stripe is the payments.Gateway on Stripe's API (stripe-go), used when PELCRO_STRIPE_SECRET_KEY is
// set. Cards are saved with a confirmed SetupIntent and charged with a confirmed PaymentIntent, so a card
// that needs 3-D Secure comes back as an intent the front end completes with its client_secret; Stripe then
// tells us through a signed webhook (webhook.go).
//
// Every mutation sends the caller's idempotency key as Stripe's Idempotency-Key (a call that needs two
// requests suffixes the key of the first), so a charge retried after a timeout is answered by Stripe with
// the first outcome. Stripe remembers keys for 24 hours: callers must not retry older attempts with a key.
package stripe

import (
	"net/http"

	stripeapi "github.com/stripe/stripe-go/v85"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// Config reaches one Stripe account.
type Config struct {
	// SecretKey is the account's secret API key (sk_test_… in test mode).
	SecretKey string
	// APIBase replaces https://api.stripe.com, e.g. with stripe-mock's address in tests; empty means Stripe.
	APIBase string
	// HTTPClient sends the requests; nil means stripe-go's client, which gives up after 80 seconds.
	HTTPClient *http.Client
}

// Gateway is Stripe behind the payments port. It is safe for concurrent use.
type Gateway struct {
	client *stripeapi.Client
}

var _ payments.Gateway = (*Gateway)(nil)

// New returns the gateway for cfg. It sends nothing until called.
func New(cfg Config) *Gateway {
	backend := &stripeapi.BackendConfig{
		HTTPClient: cfg.HTTPClient,
		// stripe-go logs every declined card as an error; the commands decide what is worth logging.
		LeveledLogger: &stripeapi.LeveledLogger{Level: stripeapi.LevelNull},
	}
	if cfg.APIBase != "" {
		backend.URL = stripeapi.String(cfg.APIBase)
	}
	client := stripeapi.NewClient(cfg.SecretKey, stripeapi.WithBackends(stripeapi.NewBackendsWithConfig(backend)))
	return &Gateway{client: client}
}

// Name is the payment_gateway value this adapter serves.
func (g *Gateway) Name() string { return "stripe" }
