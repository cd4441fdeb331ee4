package order

import (
	"slices"
	"time"
)

// Status is where an order stands.
type Status string

const (
	StatusPending  Status = "pending"
	StatusPaid     Status = "paid"
	StatusCanceled Status = "canceled"
)

// CancelReason says why an order ended unpaid.
type CancelReason string

const (
	// ReasonOutOfStock: a SKU had fewer units left than the order asked for.
	ReasonOutOfStock CancelReason = "out_of_stock"
	// ReasonDeclined: the payment was refused.
	ReasonDeclined CancelReason = "declined"
	// ReasonExpired: the order was not paid by its deadline.
	ReasonExpired CancelReason = "expired"
)

// State is an order as its stream tells it; the zero value is an order never placed.
type State struct {
	ID           int64
	CustomerID   int64
	AccountID    int64
	SiteID       int64
	Status       Status
	Currency     string
	Items        []Item
	Amounts      Amounts
	AddressID    int64
	InvoiceID    int64
	PayBy        time.Time
	PlacedAt     time.Time
	CancelReason CancelReason
}

// Exists reports whether the order was placed.
func (s State) Exists() bool { return s.ID != 0 }

// BelongsTo reports whether the order is the customer's, in the account.
func (s State) BelongsTo(customerID, accountID int64) bool {
	return s.Exists() && s.CustomerID == customerID && s.AccountID == accountID
}

// Evolve folds one event into the state.
func Evolve(s State, e Event) State {
	switch e := e.(type) {
	case Placed:
		return State{ID: e.OrderID, CustomerID: e.CustomerID, AccountID: e.AccountID, SiteID: e.SiteID,
			Status: StatusPending, Currency: e.Currency, Items: slices.Clone(e.Items), Amounts: e.Amounts,
			AddressID: e.AddressID, InvoiceID: e.InvoiceID, PayBy: e.PayBy, PlacedAt: e.PlacedAt}
	case Paid:
		s.Status = StatusPaid
	case Canceled:
		s.Status, s.CancelReason = StatusCanceled, e.Reason
	}
	return s
}
