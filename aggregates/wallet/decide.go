package wallet

import (
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// NewPaymentMethod is a card the gateway saved (POST /payment_methods #38, POST /source #43), to be added to
// the wallet. SetupIntentID is set when the card waits for 3-D Secure.
type NewPaymentMethod struct {
	CustomerID        int64
	AccountID         int64
	PaymentMethodID   int64
	Gateway           string
	GatewayCustomerID string
	ObjectID          string
	Card              Card
	SetupIntentID     string
	MakeDefault       bool
}

// Save adds a card. The wallet's first card, or one saved with MakeDefault, becomes the default. A card the
// wallet already has (the same gateway object: a retried save) is a no-op, and ErrNotFound when that card
// was deleted since; past MaxPaymentMethods cards it is ErrTooMany; a card the gateway described badly is ErrGatewayAnswer.
func Save(s State, c NewPaymentMethod, now time.Time) ([]Event, error) {
	if s.Exists() && s.AccountID != c.AccountID {
		return nil, ErrNotFound
	}
	if c.CustomerID < 1 || c.PaymentMethodID < 1 || c.Gateway == "" || c.ObjectID == "" ||
		len(aggregates.TextProblems(c)) > 0 || (Expiry{c.Card.ExpMonth, c.Card.ExpYear}).Check(time.Time{}) != nil {
		return nil, ErrGatewayAnswer
	}
	if m, ok := s.ByObjectID(c.Gateway, c.ObjectID); ok {
		if m.Deleted() {
			// The gateway answered a key it had seen (a retried save) with a card removed since: it
			// stays removed, and nothing may be charged to it.
			return nil, ErrNotFound
		}
		return nil, nil
	}
	if s.Live() >= MaxPaymentMethods {
		return nil, ErrTooMany
	}
	_, hasDefault := s.Default()
	return []Event{PaymentMethodSaved{CustomerID: c.CustomerID, AccountID: c.AccountID,
		PaymentMethodID: c.PaymentMethodID, Gateway: c.Gateway, GatewayCustomerID: c.GatewayCustomerID,
		ObjectID: c.ObjectID, Card: c.Card, Pending: c.SetupIntentID != "", SetupIntentID: c.SetupIntentID,
		IsDefault: c.MakeDefault || !hasDefault, SavedAt: now}}, nil
}

// Confirm makes the card waiting for the setup intent chargeable, once the gateway said the intent
// succeeded (the caller checks). A card already chargeable, or deleted meanwhile, is a no-op.
func Confirm(s State, setupIntentID string, now time.Time) ([]Event, error) {
	m, ok := s.BySetupIntent(setupIntentID)
	if !ok {
		return nil, ErrUnknownSetupIntent
	}
	if m.Status != StatusPending {
		return nil, nil
	}
	return []Event{PaymentMethodConfirmed{CustomerID: s.CustomerID, PaymentMethodID: m.ID,
		SetupIntentID: setupIntentID, ConfirmedAt: now}}, nil
}

// ConfirmByPayment makes card id chargeable once the gateway said a payment intent charging it succeeded:
// the customer authenticated the card through that charge, which sets it up for later charges (Stripe's
// setup_future_usage), so the setup intent it still waits for is not needed any more. A card already
// chargeable, or deleted meanwhile (or unknown), is a no-op: the payment stands whatever became of the card.
func ConfirmByPayment(s State, id int64, paymentIntentID string, now time.Time) ([]Event, error) {
	m, ok := s.Method(id)
	if !ok || m.Status != StatusPending {
		return nil, nil
	}
	return []Event{PaymentMethodConfirmed{CustomerID: s.CustomerID, PaymentMethodID: m.ID,
		SetupIntentID: m.SetupIntentID, PaymentIntentID: paymentIntentID, ConfirmedAt: now}}, nil
}

// Change is PUT /payment_methods/{id} (#41) or PUT /source/{id} (#44): make the card the default, give it a
// new expiry, or both.
type Change struct {
	PaymentMethodID int64
	MakeDefault     bool
	Expiry          *Expiry
}

// Update applies a Change to a card of the wallet (ErrNotFound otherwise). An expiry must be a month not
// yet over; what changes nothing is left out, and a change that changes nothing is a no-op.
func Update(s State, c Change, now time.Time) ([]Event, error) {
	m, ok := s.Method(c.PaymentMethodID)
	if !ok {
		return nil, ErrNotFound
	}
	var events []Event
	if e := c.Expiry; e != nil {
		if err := e.Check(now); err != nil {
			return nil, err
		}
		if e.Month != m.Card.ExpMonth || e.Year != m.Card.ExpYear {
			events = append(events, CardExpiryChanged{CustomerID: s.CustomerID, PaymentMethodID: m.ID,
				ExpMonth: e.Month, ExpYear: e.Year, ChangedAt: now})
		}
	}
	if c.MakeDefault && !m.IsDefault {
		events = append(events, DefaultPaymentMethodChanged{CustomerID: s.CustomerID, PaymentMethodID: m.ID, ChangedAt: now})
	}
	return events, nil
}

// Delete removes a card softly. The default card (ErrDefaultNotDeletable) and a card a subscription would
// charge next (ErrInUse, see State.InUse) stay.
func Delete(s State, id int64, now time.Time) ([]Event, error) {
	m, ok := s.Method(id)
	switch {
	case !ok:
		return nil, ErrNotFound
	case m.IsDefault:
		return nil, ErrDefaultNotDeletable
	case s.InUse(m):
		return nil, ErrInUse
	}
	return []Event{PaymentMethodDeleted{CustomerID: s.CustomerID, PaymentMethodID: id, DeletedAt: now}}, nil
}

// SetUse records that a subscription holds (inUse) or stopped holding a card as its own, which keeps the card
// from being deleted while the subscription would charge it (State.InUse). Saying again what is known is a
// no-op.
func SetUse(s State, id, subscriptionID int64, inUse bool, now time.Time) ([]Event, error) {
	m, ok := s.Method(id)
	if !ok {
		return nil, ErrNotFound
	}
	used := false
	for _, sub := range m.Subscriptions {
		used = used || sub == subscriptionID
	}
	if used == inUse {
		return nil, nil
	}
	return []Event{PaymentMethodUseChanged{CustomerID: s.CustomerID, PaymentMethodID: id,
		SubscriptionID: subscriptionID, InUse: inUse, ChangedAt: now}}, nil
}
