package invoice

import (
	"strings"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// Pay is the command of POST /invoices/{id}/pay: the customer pays the invoice with the given means.
type Pay struct {
	CustomerID int64
	AccountID  int64
	Means      Means
}

// AttemptPayment starts the next payment attempt of an open invoice of the customer's. It appends nothing
// when an attempt is already pending: that attempt must be settled first (repeated with its own gateway key,
// see State.GatewayKey), or a crash between charge and record would charge twice. An invoice of zero is paid
// without an attempt.
//
// Refusals (rule 24): not the customer's, or a draft the customer cannot see → ErrNotFound; paid → ErrAlreadyPaid;
// void → ErrVoid; uncollectible → ErrUncollectible.
func AttemptPayment(s State, c Pay, now time.Time) ([]Event, error) {
	if err := s.PayableBy(c.CustomerID, c.AccountID); err != nil {
		return nil, err
	}
	if s.Total == 0 {
		return settledIfFree(s, nil, now), nil
	}
	if s.Pending != nil {
		return nil, nil
	}
	return []Event{PaymentAttempted{InvoiceID: s.ID, Attempt: s.Attempts + 1, Means: c.Means, Amount: s.Total,
		Currency: s.Currency, AttemptedAt: now}}, nil
}

// PayableBy says why the customer (of that account) may not pay the invoice, if they may not: the refusals
// of AttemptPayment, for a caller that checks before it does anything else.
func (s State) PayableBy(customerID, accountID int64) error {
	switch {
	case !s.BelongsTo(customerID, accountID) || s.Status == StatusDraft:
		return ErrNotFound
	case s.Status == StatusPaid:
		return ErrAlreadyPaid
	case s.Status == StatusVoid:
		return ErrVoid
	case s.Status == StatusUncollectible:
		return ErrUncollectible
	}
	return nil
}

// Charged is what the gateway answered for an attempt's charge that took the money.
type Charged struct {
	Attempt  int
	ChargeID string
	Gateway  string
	Card     Card
}

// RecordCharge settles the pending attempt as paid. It is a no-op unless that attempt is the pending one (it
// was recorded already, by a concurrent retry or a webhook).
func RecordCharge(s State, c Charged, now time.Time) ([]Event, error) {
	if !s.pendingIs(c.Attempt) {
		return nil, nil
	}
	if c.Card == (Card{}) { // a completed 3-D Secure intent: the card is the one the attempt waited with
		c.Card = s.Pending.Card
	}
	card := Card{Brand: gatewayText(c.Card.Brand), Last4: gatewayText(c.Card.Last4)}
	return []Event{Paid{InvoiceID: s.ID, CustomerID: s.CustomerID, Attempt: c.Attempt, ChargeID: gatewayText(c.ChargeID),
		Gateway: gatewayText(c.Gateway), Amount: s.Total, Currency: s.Currency, Card: card, PaidAt: now}}, nil
}

// RecordDecline settles the pending attempt as refused, for reason; the invoice stays open. A no-op unless
// that attempt is the pending one.
func RecordDecline(s State, attempt int, reason string, now time.Time) ([]Event, error) {
	if !s.pendingIs(attempt) {
		return nil, nil
	}
	return []Event{PaymentDeclined{InvoiceID: s.ID, Attempt: attempt, Reason: gatewayText(reason), DeclinedAt: now}}, nil
}

// RecordRequiresAction notes the 3-D Secure intent the pending attempt waits for. A no-op when the attempt is
// not pending or knows its intent already.
func RecordRequiresAction(s State, attempt int, intentID string, card Card, now time.Time) ([]Event, error) {
	if !s.pendingIs(attempt) || s.Pending.IntentID != "" {
		return nil, nil
	}
	return []Event{PaymentRequiresAction{InvoiceID: s.ID, Attempt: attempt, IntentID: gatewayText(intentID),
		Card: Card{Brand: gatewayText(card.Brand), Last4: gatewayText(card.Last4)}, At: now}}, nil
}

// pendingIs reports whether attempt is the pending one of an open invoice.
func (s State) pendingIs(attempt int) bool {
	return s.Status == StatusOpen && s.Pending != nil && s.Pending.Number == attempt
}

// AttemptOfIntent is the pending attempt waiting for the 3-D Secure intent, if any.
func (s State) AttemptOfIntent(intentID string) (int, bool) {
	if intentID == "" || !s.pendingIs(s.Attempts) || s.Pending.IntentID != intentID {
		return 0, false
	}
	return s.Pending.Number, true
}

// gatewayText is what the gateway said as a read model can hold it: invalid UTF-8 and the characters a
// single-line text may not hold are dropped. Refusing the answer instead would leave money taken without its
// invoice marked paid; these texts only describe a charge that happened.
func gatewayText(s string) string {
	return strings.Map(func(r rune) rune {
		if aggregates.TextFault(string(r), aggregates.SingleLine) != "" {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
}
