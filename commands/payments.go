package commands

import (
	"errors"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// DefaultGateway is the `payment_gateway` of a request that names none (spec 1.10).
const DefaultGateway = "stripe"

// ErrUnknownGateway: the request names a `payment_gateway` this installation does not serve.
var ErrUnknownGateway = errors.New("commands: payment gateway not served here")

// Gateways are the payment processors this installation serves, by `payment_gateway` name. cmd/pelcro
// fills it from the configuration (the Stripe adapter, or the sandbox in its place).
type Gateways map[string]payments.Gateway

// Get returns the gateway of that name ("" is DefaultGateway), or ErrUnknownGateway.
func (g Gateways) Get(name string) (payments.Gateway, error) {
	if name == "" {
		name = DefaultGateway
	}
	gateway, ok := g[name]
	if !ok {
		return nil, ErrUnknownGateway
	}
	return gateway, nil
}
