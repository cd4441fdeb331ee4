package sandbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// Charge takes money from a saved card or straight from a test token. A refusing card is declined, a card
// saved from tok_chargeCustomerFail is declined on every charge, and a card needing 3-D Secure (its token, or
// a saved card whose setup intent is not confirmed) answers a payment intent that takes the money once
// confirmed.
func (g *Gateway) Charge(ctx context.Context, req payments.ChargeRequest) (payments.Charge, error) {
	if err := validMoney(req.Amount); err != nil {
		return payments.Charge{}, err
	}
	digest := fingerprint("charge", req.CustomerGatewayID, req.CardGatewayID, req.Token,
		strconv.FormatInt(req.Amount.Amount, 10), req.Amount.Currency, req.Description)
	result, err := g.once(ctx, req.IdempotencyKey, digest, func(tx *sql.Tx) (outcome, error) {
		paying, err := chargedCard(ctx, tx, req)
		switch {
		case errors.Is(err, errNoSuchCard):
			return outcome{Declined: payments.InvalidToken}, nil
		case err != nil:
			return outcome{}, err
		case paying.refusal != "":
			return outcome{Declined: paying.refusal}, nil
		case paying.refusesCharges:
			return outcome{Declined: payments.CardDeclined}, nil
		}
		charge := payments.Charge{GatewayID: objectID("pi_", "charge", req.IdempotencyKey), Amount: req.Amount, Card: paying.details}
		var intentID *string
		if paying.needsAuthentication {
			intent, err := createIntent(ctx, tx, payments.PaymentIntent, charge.GatewayID)
			if err != nil {
				return outcome{}, err
			}
			charge.Intent, intentID = &intent, &intent.ID
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO payments_sandbox_charges (id, amount, currency, intent) VALUES ($1, $2, $3, $4)`,
			charge.GatewayID, charge.Amount.Amount, charge.Amount.Currency, intentID)
		if err != nil {
			return outcome{}, unavailable(err)
		}
		return outcome{Charge: &charge}, nil
	})
	if err != nil {
		return payments.Charge{}, err
	}
	if result.Charge == nil {
		return payments.Charge{}, result.err()
	}
	return *result.Charge, nil
}

var errNoSuchCard = errors.New("no such card")

// payingCard is the card a charge takes money from.
type payingCard struct {
	testCard
	details payments.Card
}

// chargedCard finds what a charge pays with: its token, or the saved card, which must be the customer's.
// A saved card whose setup intent is still waiting needs 3-D Secure again.
func chargedCard(ctx context.Context, tx *sql.Tx, req payments.ChargeRequest) (payingCard, error) {
	if req.CardGatewayID == "" {
		name, card, ok := lookupToken(req.Token)
		if !ok {
			return payingCard{}, errNoSuchCard
		}
		return payingCard{testCard: card, details: card.details(name, "")}, nil
	}
	var name, customer string
	var setupStatus sql.NullString
	err := tx.QueryRowContext(ctx, `
		SELECT c.token, c.customer, i.status FROM payments_sandbox_cards c
		LEFT JOIN payments_sandbox_intents i ON i.id = c.setup_intent
		WHERE c.id = $1`, req.CardGatewayID).Scan(&name, &customer, &setupStatus)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && customer != req.CustomerGatewayID) {
		return payingCard{}, errNoSuchCard
	}
	if err != nil {
		return payingCard{}, unavailable(err)
	}
	card := testCards[name]
	card.needsAuthentication = setupStatus.Valid && setupStatus.String != string(payments.IntentSucceeded)
	return payingCard{testCard: card, details: card.details(name, req.CardGatewayID)}, nil
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
