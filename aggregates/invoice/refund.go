package invoice

import (
	"errors"
	"maps"
	"time"
)

// ErrNotRefundable refuses a refund of an invoice no charge paid (unpaid, or paid without a charge), or of
// more than its charge has left.
var ErrNotRefundable = errors.New("invoice: nothing of that amount to refund")

// Refunded records that the gateway gave Amount of the invoice's charge back, under Key, the idempotency
// key the refunder sent it. Key is what makes a refund repeatable: a refunder retrying after a crash sends
// the same key, and finds the refund recorded under it. NotOwed marks the refund of a charge that did not
// pay the invoice (ChargeID is a 3-D Secure intent that succeeded when the invoice no longer owed it, see
// CompleteIntent): it gives back all of that charge and nothing of the invoice's own.
type Refunded struct {
	InvoiceID  int64     `json:"invoice_id"`
	CustomerID int64     `json:"customer_id"`
	ChargeID   string    `json:"charge_id"`
	Key        string    `json:"key"`
	Amount     int64     `json:"amount"`
	Currency   string    `json:"currency"`
	NotOwed    bool      `json:"not_owed,omitempty"`
	RefundedAt time.Time `json:"refunded_at"`
}

func (Refunded) isInvoiceEvent() {}

// Refund is one refund the state keeps: what it gave back, of which charge.
type Refund struct {
	ChargeID string
	Amount   int64
}

// Refundable is what is left of the invoice's charge to give back.
func (s State) Refundable() int64 {
	if s.ChargeID == "" {
		return 0
	}
	return s.AmountPaid - s.AmountRefunded()
}

// AmountRefunded is what refunds gave back of the invoice's charge (not of charges it did not owe).
func (s State) AmountRefunded() int64 {
	var refunded int64
	for _, r := range s.Refunds {
		if r.ChargeID == s.ChargeID {
			refunded += r.Amount
		}
	}
	return refunded
}

// RefundedUnder is the amount refunded under key, and whether there is one.
func (s State) RefundedUnder(key string) (int64, bool) {
	r, ok := s.Refunds[key]
	return r.Amount, ok
}

// RecordRefund records a refund the gateway made of the invoice's charge, under key. A refund already
// recorded under key is a no-op (a retry); anything beyond what the charge has left is refused.
func RecordRefund(s State, key string, amount int64, now time.Time) ([]Event, error) {
	switch _, done := s.RefundedUnder(key); {
	case !s.Exists():
		return nil, ErrNotFound
	case done:
		return nil, nil
	case amount <= 0 || amount > s.Refundable():
		return nil, ErrNotRefundable
	}
	return []Event{Refunded{InvoiceID: s.ID, CustomerID: s.CustomerID, ChargeID: s.ChargeID, Key: key,
		Amount: amount, Currency: s.Currency, RefundedAt: now}}, nil
}

// refunded folds a refund into the state; Refunds is cloned, as states are values that share their maps.
func refunded(s State, e Refunded) State {
	s.Refunds = maps.Clone(s.Refunds)
	if s.Refunds == nil {
		s.Refunds = map[string]Refund{}
	}
	s.Refunds[e.Key] = Refund{ChargeID: e.ChargeID, Amount: e.Amount}
	return s
}
