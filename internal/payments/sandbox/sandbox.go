// Package sandbox is the payment gateway the API uses when no Stripe key is configured: deterministic, offline,
// and driven by Stripe's documented test tokens (tok_visa, tok_chargeDeclined, tok_threeDSecure2Required …
// and their pm_card_ equivalents; the table is in tokens.go and docs/payment-gateways.md), so front ends and
// scripts written against Stripe's test mode behave the same here.
//
// It keeps what it did in PostgreSQL (migration 00030): every process sharing the database is one gateway,
// so an intent `pelcro serve` created can be confirmed by `pelcro payments confirm` in another process. Ids
// derive from the caller's idempotency key, and a repeated key answers its first outcome without doing
// anything again: a charge retried after a timeout takes money once.
package sandbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"

	"github.com/pelcro-oss/pelcro-api/internal/groupcommit"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// ErrInvalidRequest is a request the sandbox cannot act on whatever the card (no idempotency key, a bad
// amount, a refund of an unknown charge or beyond what it took). It is the caller's bug, not the customer's.
var ErrInvalidRequest = errors.New("sandbox: invalid request")

// ErrKeyReused is an idempotency key sent again with another request.
var ErrKeyReused = errors.New("sandbox: idempotency key reused with another request")

// Gateway is the sandbox. It is safe for concurrent use, from any number of processes.
type Gateway struct {
	db      *sql.DB
	cards   settledCards
	charges groupcommit.Queue[[]any, bool] // Charge's records; see wireChargeGroup
}

var _ payments.Gateway = (*Gateway)(nil)

// New returns the sandbox keeping its records in db, whose schema internal/migrations brings up to date.
func New(db *sql.DB) *Gateway {
	g := &Gateway{db: db}
	g.wireChargeGroup()
	return g
}

// Name is the payment_gateway the sandbox stands in for.
func (g *Gateway) Name() string { return "stripe" }

// Intent reports where an intent stands.
func (g *Gateway) Intent(ctx context.Context, id string) (payments.Intent, error) {
	intent := payments.Intent{ID: id}
	err := g.db.QueryRowContext(ctx, `SELECT kind, status, client_secret FROM payments_sandbox_intents WHERE id = $1`, id).
		Scan(&intent.Kind, &intent.Status, &intent.ClientSecret)
	if errors.Is(err, sql.ErrNoRows) {
		return payments.Intent{}, fmt.Errorf("%w: %q", payments.ErrUnknownIntent, id)
	}
	if err != nil {
		return payments.Intent{}, unavailable(err)
	}
	return intent, nil
}

// Confirm completes an intent as if the customer had passed 3-D Secure: the card it saves becomes
// chargeable, the charge it holds takes its money. It is what `pelcro payments confirm` calls, outside the
// port because a real gateway learns this from the customer's bank, not from us. Confirming twice is
// harmless; a canceled intent stays canceled.
func (g *Gateway) Confirm(ctx context.Context, id string) (payments.Intent, error) {
	_, err := g.db.ExecContext(ctx, `UPDATE payments_sandbox_intents SET status = 'succeeded' WHERE id = $1 AND status = 'requires_action'`, id)
	if err != nil {
		return payments.Intent{}, unavailable(err)
	}
	return g.Intent(ctx, id)
}

// newIntent is an intent of that id waiting for 3-D Secure.
func newIntent(kind payments.IntentKind, id string) payments.Intent {
	return payments.Intent{ID: id, Kind: kind, Status: payments.IntentRequiresAction, ClientSecret: clientSecret(id)}
}

var currencyCode = regexp.MustCompile(`^[a-z]{3}$`)

func validMoney(m payments.Money) error {
	if m.Amount <= 0 || !currencyCode.MatchString(m.Currency) {
		return fmt.Errorf("%w: amount %d %q (want a positive amount in minor units of a lowercase ISO currency)", ErrInvalidRequest, m.Amount, m.Currency)
	}
	return nil
}

// CancelPaymentIntent cancels a payment intent still waiting for 3-D Secure (payments.IntentCanceler): a
// later Confirm leaves it canceled. A succeeded intent stays succeeded, and is answered so.
func (g *Gateway) CancelPaymentIntent(ctx context.Context, id string) (payments.Intent, error) {
	_, err := g.db.ExecContext(ctx, `UPDATE payments_sandbox_intents SET status = 'canceled'
		WHERE id = $1 AND kind = 'payment_intent' AND status = 'requires_action'`, id)
	if err != nil {
		return payments.Intent{}, unavailable(err)
	}
	return g.Intent(ctx, id)
}
