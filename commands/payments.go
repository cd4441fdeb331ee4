package commands

import (
	"errors"

	"github.com/pelcro-oss/pelcro-api/aggregates"
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

// checkToken refuses, as the invalid token it is, a single-use gateway token no gateway issues: one holding
// invalid UTF-8 or a character a single-line text may not (a NUL, a control character, a line break). It runs
// before the gateway is asked and before anything is recorded: an invoice's attempt keeps its token in the
// log, where such a text could stop a read model for good (see aggregates.TextFault), and a gateway may
// fail on it in ways that read as an outage. Every path that pays or saves with a token goes through it.
func checkToken(token string) error {
	if aggregates.TextFault(token, aggregates.SingleLine) != "" {
		return &payments.Declined{Reason: payments.InvalidToken}
	}
	return nil
}
