package sandbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// chargeOnce records a charge's outcome under its idempotency key and, when the key is new, the charge and
// the 3-D Secure intent it waits for, in one statement, hence one transaction: a crash leaves either all of
// them or none, and the billing clock's renewals pay one round trip per charge instead of the six of once.
// It can, because the outcome is decided before the statement from the card (chargedCard), whose facts a
// charge depends on do not change once read (see settledCards).
//
// A key seen before inserts nothing and returns no row; a concurrent request with the same key waits for
// the first one's row to commit, as in once. The charge's foreign key to its intent is checked at the end
// of the statement, when both rows are in. Charges made at the same moment run chargesOnce, its form for
// many, instead (wireChargeGroup): change both together.
const chargeOnce = claimWithIntent + `, charge AS (
		INSERT INTO payments_sandbox_charges (id, amount, currency, intent)
		SELECT $8, $9, $10, $4 FROM claimed WHERE $8::text IS NOT NULL
	)
	SELECT idempotency_key FROM claimed`

// Charge takes money from a saved card or straight from a test token. A refusing card is declined, a card
// saved from tok_chargeCustomerFail is declined on every charge, and a card needing 3-D Secure (its token, or
// a saved card whose setup intent is not confirmed) answers a payment intent that takes the money once
// confirmed. A key seen before answers its first outcome without charging again. A charge recorded together
// with others (wireChargeGroup) waits for their shared statement even past its own context's end, as long as
// another of them still waits for it; it is then answered as it landed.
func (g *Gateway) Charge(ctx context.Context, req payments.ChargeRequest) (payments.Charge, error) {
	if err := validMoney(req.Amount); err != nil {
		return payments.Charge{}, err
	}
	if req.IdempotencyKey == "" {
		return payments.Charge{}, errNoKey
	}
	parts := []string{"charge", req.CustomerGatewayID, req.CardGatewayID, req.Token,
		strconv.FormatInt(req.Amount.Amount, 10), req.Amount.Currency, req.Description}
	if req.SetUpCard {
		parts = append(parts, "set up the card")
	}
	digest := fingerprint(parts...)
	paying, err := g.chargedCard(ctx, req)
	if err != nil && !errors.Is(err, errNoSuchCard) {
		return payments.Charge{}, err
	}
	result := chargeOutcome(req, paying, err)
	var intent *payments.Intent
	var chargeID sql.NullString
	if result.Charge != nil {
		chargeID, intent = sql.NullString{String: result.Charge.GatewayID, Valid: true}, result.Charge.Intent
	}
	result, err = g.recordOnce(ctx, g.charges.Do, req.IdempotencyKey, digest, result, intent, chargeID,
		req.Amount.Amount, req.Amount.Currency)
	if err != nil {
		return payments.Charge{}, err
	}
	if result.Charge == nil {
		return payments.Charge{}, result.err()
	}
	if err := g.setUpBy(ctx, req, result.Charge.Intent); err != nil {
		return payments.Charge{}, err
	}
	return *result.Charge, nil
}

// setUpBy notes that intent, once it succeeds, sets up the saved card req charges (req.SetUpCard): the
// card's charges need no 3-D Secure any more. Noted again on a replay, so a crash before the note is healed
// by the caller's retry with the same key.
func (g *Gateway) setUpBy(ctx context.Context, req payments.ChargeRequest, intent *payments.Intent) error {
	if !req.SetUpCard || req.CardGatewayID == "" || intent == nil {
		return nil
	}
	_, err := g.db.ExecContext(ctx, `INSERT INTO payments_sandbox_card_setups (card, intent) VALUES ($1, $2)
		ON CONFLICT DO NOTHING`, req.CardGatewayID, intent.ID)
	if err != nil {
		return unavailable(err)
	}
	return nil
}

// chargeOutcome is what charging paying answers; cardErr is errNoSuchCard when the request names no card
// the customer has.
func chargeOutcome(req payments.ChargeRequest, paying payingCard, cardErr error) outcome {
	switch {
	case cardErr != nil:
		return outcome{Declined: payments.InvalidToken}
	case paying.refusal != "":
		return outcome{Declined: paying.refusal}
	case paying.refusesCharges:
		return outcome{Declined: payments.CardDeclined}
	}
	charge := payments.Charge{GatewayID: objectID("pi_", "charge", req.IdempotencyKey), Amount: req.Amount, Card: paying.details}
	if paying.needsAuthentication {
		intent := newIntent(payments.PaymentIntent, charge.GatewayID)
		charge.Intent = &intent
	}
	return outcome{Charge: &charge}
}

var errNoSuchCard = errors.New("no such card")

// payingCard is the card a charge takes money from.
type payingCard struct {
	testCard
	details payments.Card
}

// chargedCard finds what a charge pays with: its token, or the saved card, which must be the customer's.
// A saved card whose setup intent is still waiting needs 3-D Secure again.
func (g *Gateway) chargedCard(ctx context.Context, req payments.ChargeRequest) (payingCard, error) {
	if req.CardGatewayID == "" {
		name, card, ok := lookupToken(req.Token)
		if !ok {
			return payingCard{}, errNoSuchCard
		}
		return payingCard{testCard: card, details: card.details(name, "")}, nil
	}
	saved, err := g.cards.lookup(ctx, g.db, req.CardGatewayID)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && saved.customer != req.CustomerGatewayID) {
		return payingCard{}, errNoSuchCard
	}
	if err != nil {
		return payingCard{}, unavailable(err)
	}
	card := testCards[saved.token]
	card.needsAuthentication = !saved.settled
	return payingCard{testCard: card, details: card.details(saved.token, req.CardGatewayID)}, nil
}

// Refund gives back part or all of a charge that took its money.
func (g *Gateway) Refund(ctx context.Context, req payments.RefundRequest) (payments.Refund, error) {
	if err := validMoney(req.Amount); err != nil {
		return payments.Refund{}, err
	}
	digest := fingerprint("refund", req.ChargeGatewayID, strconv.FormatInt(req.Amount.Amount, 10), req.Amount.Currency)
	result, err := g.once(ctx, req.IdempotencyKey, digest, func(tx *sql.Tx) (outcome, error) {
		refunded, err := tx.ExecContext(ctx, `
			UPDATE payments_sandbox_charges c SET refunded = refunded + $2
			WHERE id = $1 AND currency = $3 AND refunded + $2 <= amount
			  AND (intent IS NULL OR EXISTS (SELECT FROM payments_sandbox_intents i WHERE i.id = c.intent AND i.status = 'succeeded'))`,
			req.ChargeGatewayID, req.Amount.Amount, req.Amount.Currency)
		if err != nil {
			return outcome{}, unavailable(err)
		}
		if n, err := refunded.RowsAffected(); err != nil {
			return outcome{}, unavailable(err)
		} else if n == 0 {
			return outcome{}, fmt.Errorf("%w: charge %q is unknown, took nothing, is in another currency or has less than %d left to refund",
				ErrInvalidRequest, req.ChargeGatewayID, req.Amount.Amount)
		}
		return outcome{Refund: &payments.Refund{GatewayID: objectID("re_", "refund", req.IdempotencyKey), Amount: req.Amount}}, nil
	})
	if err != nil {
		return payments.Refund{}, err
	}
	return *result.Refund, nil
}
