package invoice

import (
	"errors"
	"maps"
	"time"
)

// ErrNotOwed says that a 3-D Secure intent of the invoice took money the invoice does not owe: the invoice
// is void, uncollectible or paid by another charge, or another attempt is under way. The caller refunds
// the intent at once (StrayRefund) and records it (RecordStrayRefund).
var ErrNotOwed = errors.New("invoice: the intent took money the invoice does not owe")

// CompleteIntent decides what the gateway's word that intentID succeeded means for the invoice. The
// attempt that waited for it pays the invoice while it is pending, and also when it was given up (another
// payment method was chosen, its deadline passed) but the invoice is still open with no other attempt under
// way: the money arrived, and it is owed. Otherwise the money is not owed: ErrNotOwed, for the caller to
// refund it. An intent the invoice never waited for, the one that paid it, or one refunded already is a
// no-op (a confirmation delivered twice).
func CompleteIntent(s State, intentID, gateway string, now time.Time) ([]Event, error) {
	waited, ok := s.Waited[intentID]
	switch _, refunded := s.RefundedUnder(StrayRefundKey(s.ID, intentID)); {
	case !s.Exists():
		return nil, ErrNotFound
	case !ok, s.ChargeID == intentID, refunded:
		return nil, nil
	case s.Status != StatusOpen, s.Pending != nil && s.Pending.Number != waited.Number:
		return nil, ErrNotOwed
	}
	return []Event{Paid{InvoiceID: s.ID, CustomerID: s.CustomerID, Attempt: waited.Number, ChargeID: intentID,
		Gateway: gatewayText(gateway), Amount: s.Total, Currency: s.Currency, Card: waited.Card, PaidAt: now}}, nil
}

// StrayRefundKey is the gateway idempotency key of the refund of intent intentID of invoice id, which took
// money the invoice did not owe. Warning: a stored contract with the gateway, as GatewayKey is.
func StrayRefundKey(id int64, intentID string) string {
	return "invoice-" + itoa(id) + "-intent-" + intentID + "-refund"
}

// StrayRefund is what to give back of intent intentID, which CompleteIntent found not owed: the amount its
// attempt charged (an invoice's total never changes), under StrayRefundKey. Nothing (ok false) when the
// invoice never waited for that intent, the intent paid it, or it was refunded already.
func (s State) StrayRefund(intentID string) (key string, amount int64, ok bool) {
	key = StrayRefundKey(s.ID, intentID)
	_, refunded := s.RefundedUnder(key)
	if _, waited := s.Waited[intentID]; !waited || refunded || s.ChargeID == intentID {
		return "", 0, false
	}
	return key, s.Total, true
}

// RecordStrayRefund records that the gateway gave back intent intentID's money (StrayRefund); recording it
// again is a no-op.
func RecordStrayRefund(s State, intentID string, now time.Time) ([]Event, error) {
	if !s.Exists() {
		return nil, ErrNotFound
	}
	key, amount, ok := s.StrayRefund(intentID)
	if !ok {
		return nil, nil
	}
	return []Event{Refunded{InvoiceID: s.ID, CustomerID: s.CustomerID, ChargeID: intentID, Key: key,
		Amount: amount, Currency: s.Currency, NotOwed: true, RefundedAt: now}}, nil
}

// WaitedFor is the attempt that waited for the 3-D Secure intent, whether or not it is still pending.
func (s State) WaitedFor(intentID string) (Attempt, bool) {
	a, ok := s.Waited[intentID]
	return a, ok
}

// waitedFor folds into the state that attempt a waits for intent intentID; Waited is cloned, as states are
// values that share their maps.
func waitedFor(s State, intentID string, a Attempt) State {
	s.Waited = maps.Clone(s.Waited)
	if s.Waited == nil {
		s.Waited = map[string]Attempt{}
	}
	s.Waited[intentID] = a
	return s
}
