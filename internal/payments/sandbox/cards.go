package sandbox

import (
	"context"
	"database/sql"
	"sync"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// settledCardsMax bounds how many saved cards a gateway remembers. A sandbox serves test traffic: when the
// bound is reached the memory is simply forgotten and refilled from the table.
const settledCardsMax = 100_000

// savedCard is what a charge needs to know of a saved card.
type savedCard struct {
	// token is the test token's name (tok_ or pm_card_ prefix removed) the card was saved from.
	token    string
	customer string
	// settled is false while the card's 3-D Secure setup has not succeeded: its charges need 3-D Secure.
	settled bool
}

// settledCards remembers the saved cards whose facts can no longer change, so a charge of one (every
// renewal the billing clock charges) reads nothing before its one statement (chargeOnce). A card's token
// and customer are written once when it is saved and never updated, and a setup intent that succeeded
// stays succeeded (Confirm and CancelPaymentIntent only move one waiting for action): a card without a
// setup intent, or whose setup succeeded, or that a payment intent set up (payments_sandbox_card_setups)
// once that intent succeeded, is settled for good. A card still waiting is read on every
// charge, so the charge that follows a confirmation takes money without 3-D Secure.
//
// Warning: this holds only while nothing deletes or rewrites payments_sandbox_cards rows, or moves a
// succeeded intent back; a change that does must forget the card here too.
//
// The zero value is ready to use; it is safe for concurrent use.
type settledCards struct {
	mu    sync.Mutex
	known map[string]savedCard
}

// lookup returns the saved card of that id: remembered, or read from db (sql.ErrNoRows when there is none).
func (c *settledCards) lookup(ctx context.Context, db *sql.DB, id string) (savedCard, error) {
	c.mu.Lock()
	card, ok := c.known[id]
	c.mu.Unlock()
	if ok {
		return card, nil
	}
	var setupStatus sql.NullString
	var setUpByPayment bool
	err := db.QueryRowContext(ctx, `
		SELECT c.token, c.customer, i.status, EXISTS (SELECT FROM payments_sandbox_card_setups s
			JOIN payments_sandbox_intents p ON p.id = s.intent WHERE s.card = c.id AND p.status = 'succeeded')
		FROM payments_sandbox_cards c
		LEFT JOIN payments_sandbox_intents i ON i.id = c.setup_intent
		WHERE c.id = $1`, id).Scan(&card.token, &card.customer, &setupStatus, &setUpByPayment)
	if err != nil {
		return savedCard{}, err
	}
	card.settled = !setupStatus.Valid || setupStatus.String == string(payments.IntentSucceeded) || setUpByPayment
	if card.settled {
		c.remember(id, card)
	}
	return card, nil
}

func (c *settledCards) remember(id string, card savedCard) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.known == nil || len(c.known) >= settledCardsMax {
		c.known = map[string]savedCard{}
	}
	c.known[id] = card
}
