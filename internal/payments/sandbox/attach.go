package sandbox

import (
	"context"
	"database/sql"
	"strconv"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// attachOnce records an attach's outcome under its idempotency key and, when the key is new, the card and
// its setup intent, in one statement: a card is saved by the hottest write of the sandbox (every
// POST /payment_methods), and once (requests.go) would take five round trips for it. It can, because
// an attach decides its outcome from the token alone, before anything is read.
//
// A key seen before inserts nothing and returns no row; a concurrent request with the same key waits for
// the first one's row to commit, as in once. The card's foreign key to its intent is checked at the end of
// the statement, when both rows are in.
const attachOnce = claimWithIntent + `, card AS (
		INSERT INTO payments_sandbox_cards (id, customer, token, setup_intent)
		SELECT $8, $9, $10, $4 FROM claimed WHERE $8::text IS NOT NULL
	)
	SELECT idempotency_key FROM claimed`

// AttachCard saves a test card under the customer. A refusing token is declined and saves nothing; an
// unknown one is declined as an invalid token; tok_threeDSecure2Required saves a card that is chargeable
// only once its setup intent is confirmed. A key seen before answers its first outcome (see once).
func (g *Gateway) AttachCard(ctx context.Context, req payments.AttachCardRequest) (payments.AttachedCard, error) {
	if req.IdempotencyKey == "" {
		return payments.AttachedCard{}, errNoKey
	}
	digest := fingerprint("attach", strconv.FormatInt(req.Customer.ID, 10), req.Customer.GatewayID, req.Token)
	result, token := attachOutcome(req)
	var intent *payments.Intent
	var cardID, customer, name sql.NullString
	if result.Card != nil {
		// only a saved card's token reaches the database: a declined one may hold what a text column
		// refuses (a NUL), which would turn a refusal into a failure of the sandbox
		cardID = sql.NullString{String: result.Card.Card.GatewayID, Valid: true}
		customer = sql.NullString{String: result.Card.CustomerGatewayID, Valid: true}
		name = sql.NullString{String: token, Valid: true}
		intent = result.Card.Intent
	}
	result, err := g.recordOnce(ctx, g.claimAlone(attachOnce), req.IdempotencyKey, digest, result, intent, cardID, customer, name)
	if err != nil {
		return payments.AttachedCard{}, err
	}
	if result.Card == nil {
		return payments.AttachedCard{}, result.err()
	}
	return *result.Card, nil
}

// attachOutcome is what attaching req's token answers, and the token's name the card is saved under.
func attachOutcome(req payments.AttachCardRequest) (outcome, string) {
	name, card, ok := lookupToken(req.Token)
	switch {
	case !ok:
		return outcome{Declined: payments.InvalidToken}, name
	case card.refusal != "":
		return outcome{Declined: card.refusal}, name
	}
	customer := req.Customer.GatewayID
	if customer == "" {
		customer = customerID(req.Customer.ID)
	}
	attached := payments.AttachedCard{
		CustomerGatewayID: customer,
		Card:              card.details(name, objectID("pm_", "card", req.IdempotencyKey)),
	}
	if card.needsAuthentication {
		intent := newIntent(payments.SetupIntent, objectID("seti_", "setup", req.IdempotencyKey))
		attached.Intent = &intent
	}
	return outcome{Card: &attached}, name
}
