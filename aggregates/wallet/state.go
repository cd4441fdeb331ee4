package wallet

import (
	"slices"
	"time"
)

// MaxPaymentMethods is how many cards a customer may hold at once (rule 23); deleted ones do not count.
const MaxPaymentMethods = 200

// Status is a payment method's `status` (spec 3.9); only a chargeable one can be charged.
type Status string

const (
	StatusPending    Status = "pending"
	StatusChargeable Status = "chargeable"
	StatusCanceled   Status = "canceled"
)

// PaymentMethod is one saved card as the wallet's events describe it.
type PaymentMethod struct {
	ID                int64
	Gateway           string
	GatewayCustomerID string
	ObjectID          string
	Card              Card
	Status            Status
	SetupIntentID     string
	IsDefault         bool
	// Subscriptions are the ids of the subscriptions created with the card, while they run (SetUse): they
	// charge it when the wallet has no chargeable default (see State.InUse).
	Subscriptions []int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
	DeletedAt     time.Time
}

// Deleted says whether the card was deleted (it then counts for nothing).
func (m PaymentMethod) Deleted() bool { return !m.DeletedAt.IsZero() }

// State is one customer's wallet. The zero value (CustomerID 0) is a wallet nothing was ever saved in.
// Slices are never shared with an earlier state: Evolve copies before it changes them.
type State struct {
	CustomerID int64
	AccountID  int64
	// Methods in the order they were saved, deleted ones included.
	Methods []PaymentMethod
}

// Exists says whether anything was ever saved in the wallet.
func (s State) Exists() bool { return s.CustomerID != 0 }

// Live is how many cards the wallet holds (deleted ones left out).
func (s State) Live() int {
	n := 0
	for _, m := range s.Methods {
		if !m.Deleted() {
			n++
		}
	}
	return n
}

// Method returns the card with that id unless it was deleted.
func (s State) Method(id int64) (PaymentMethod, bool) {
	return s.find(func(m PaymentMethod) bool { return m.ID == id && !m.Deleted() })
}

// ByObjectID returns the card the gateway knows by that id, deleted or not.
func (s State) ByObjectID(gateway, objectID string) (PaymentMethod, bool) {
	return s.find(func(m PaymentMethod) bool { return m.Gateway == gateway && m.ObjectID == objectID })
}

// BySetupIntent returns the card a 3-D Secure setup intent saves.
func (s State) BySetupIntent(intentID string) (PaymentMethod, bool) {
	return s.find(func(m PaymentMethod) bool { return intentID != "" && m.SetupIntentID == intentID })
}

// Default returns the default card, if the wallet has one.
func (s State) Default() (PaymentMethod, bool) {
	return s.find(func(m PaymentMethod) bool { return m.IsDefault && !m.Deleted() })
}

// Which card a subscription charges, and so which cards it keeps from being deleted.
//
// A subscription records the card it was created with (its own card, held in the wallet by SetUse). What
// it charges unasked (a renewal, a dunning retry, a change or renewal paid now without naming a card) is
// the customer's default card, as long as that card is chargeable: making another card the default (PUT
// /payment_methods/{id} with is_default, POST /source) is how a customer changes the card their
// subscriptions renew with. Only when the default cannot be charged (it waits for its 3-D Secure setup)
// does the subscription fall back to its own card.
//
// A card is "associated to a subscription" (rule 23: not deletable) only while it is the card that
// subscription would charge next: the default always (the default is never deletable anyway), a held card
// only while the wallet has no chargeable default.

// ChargeableDefault returns the default card when it can be charged.
func (s State) ChargeableDefault() (PaymentMethod, bool) {
	m, ok := s.Default()
	return m, ok && m.Status == StatusChargeable
}

// ChargedInstead is the card a subscription whose own card is own charges when nobody names one: the
// chargeable default, else own itself (which the caller checks: it may have been deleted, or wait for 3-D
// Secure, and is then no card to charge).
func (s State) ChargedInstead(own int64) int64 {
	if m, ok := s.ChargeableDefault(); ok {
		return m.ID
	}
	return own
}

// InUse reports whether some subscription would charge m next, other than as the default: m is a
// subscription's own card and the wallet has no chargeable default to charge instead.
func (s State) InUse(m PaymentMethod) bool {
	if len(m.Subscriptions) == 0 || m.Deleted() {
		return false
	}
	_, instead := s.ChargeableDefault()
	return !instead
}

// Deletable is the card's `deletable`: not deleted, not the default, and no subscription's next charge
// (InUse).
func (s State) Deletable(m PaymentMethod) bool {
	return !m.Deleted() && !m.IsDefault && !s.InUse(m)
}

// GatewayCustomerID is the gateway's record of the customer, from the first card saved there ("" if none).
func (s State) GatewayCustomerID(gateway string) string {
	m, _ := s.find(func(m PaymentMethod) bool { return m.Gateway == gateway && m.GatewayCustomerID != "" })
	return m.GatewayCustomerID
}

func (s State) find(match func(PaymentMethod) bool) (PaymentMethod, bool) {
	i := slices.IndexFunc(s.Methods, match)
	if i < 0 {
		return PaymentMethod{}, false
	}
	return s.Methods[i], true
}

// Evolve folds one event into the wallet. It holds no rules: events are facts. The facts it derives are the
// ones the events' documentation states: a new default clears the previous one.
func Evolve(s State, e Event) State {
	switch e := e.(type) {
	case PaymentMethodSaved:
		s.CustomerID, s.AccountID = e.CustomerID, e.AccountID
		status := StatusChargeable
		if e.Pending {
			status = StatusPending
		}
		s.Methods = append(slices.Clone(s.Methods), PaymentMethod{ID: e.PaymentMethodID, Gateway: e.Gateway,
			GatewayCustomerID: e.GatewayCustomerID, ObjectID: e.ObjectID, Card: e.Card, Status: status,
			SetupIntentID: e.SetupIntentID, CreatedAt: e.SavedAt, UpdatedAt: e.SavedAt})
		if e.IsDefault {
			s.Methods = withDefault(s.Methods, e.PaymentMethodID, e.SavedAt)
		}
	case PaymentMethodConfirmed:
		s.Methods = change(s.Methods, e.PaymentMethodID, func(m *PaymentMethod) {
			m.Status, m.UpdatedAt = StatusChargeable, e.ConfirmedAt
		})
	case DefaultPaymentMethodChanged:
		s.Methods = withDefault(slices.Clone(s.Methods), e.PaymentMethodID, e.ChangedAt)
	case CardExpiryChanged:
		s.Methods = change(s.Methods, e.PaymentMethodID, func(m *PaymentMethod) {
			m.Card.ExpMonth, m.Card.ExpYear, m.UpdatedAt = e.ExpMonth, e.ExpYear, e.ChangedAt
		})
	case PaymentMethodDeleted:
		s.Methods = change(s.Methods, e.PaymentMethodID, func(m *PaymentMethod) {
			m.Status, m.IsDefault, m.DeletedAt, m.UpdatedAt = StatusCanceled, false, e.DeletedAt, e.DeletedAt
		})
	case PaymentMethodUseChanged:
		s.Methods = change(s.Methods, e.PaymentMethodID, func(m *PaymentMethod) {
			m.Subscriptions = slices.DeleteFunc(slices.Clone(m.Subscriptions), func(id int64) bool { return id == e.SubscriptionID })
			if e.InUse {
				m.Subscriptions = append(m.Subscriptions, e.SubscriptionID)
			}
			m.UpdatedAt = e.ChangedAt
		})
	}
	return s
}

// change returns a copy of methods with edit applied to the card of that id.
func change(methods []PaymentMethod, id int64, edit func(*PaymentMethod)) []PaymentMethod {
	out := slices.Clone(methods)
	for i := range out {
		if out[i].ID == id {
			edit(&out[i])
		}
	}
	return out
}

// withDefault makes the card of that id the only default in methods (changed in place: callers pass a copy).
func withDefault(methods []PaymentMethod, id int64, at time.Time) []PaymentMethod {
	for i := range methods {
		switch {
		case methods[i].ID == id:
			methods[i].IsDefault, methods[i].UpdatedAt = true, at
		case methods[i].IsDefault:
			methods[i].IsDefault, methods[i].UpdatedAt = false, at
		}
	}
	return methods
}
