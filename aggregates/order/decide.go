package order

import (
	"errors"
	"time"
)

// Refusals of the order decisions.
var (
	// ErrNotFound: no such order.
	ErrNotFound = errors.New("order: not found")
	// ErrCanceled: the order ended unpaid; it cannot be paid any more.
	ErrCanceled = errors.New("order: canceled")
	// ErrAlreadyPaid: the order is paid; it cannot be canceled any more.
	ErrAlreadyPaid = errors.New("order: already paid")
	// ErrNotDue: the order's deadline has not passed; it may still be paid.
	ErrNotDue = errors.New("order: its payment deadline has not passed")
)

// Place is the command placing a new order; the caller allocated its id and its invoice's. Fields are
// named as the API names them, so its problems are too.
type Place struct {
	OrderID     int64     `json:"order_id"`
	CustomerID  int64     `json:"customer_id"`
	AccountID   int64     `json:"account_id"`
	SiteID      int64     `json:"site_id"`
	Currency    string    `json:"currency"`
	Items       []Item    `json:"items"`
	Amounts     Amounts   `json:"amounts"`
	AddressID   int64     `json:"address_id"`
	CouponCode  string    `json:"coupon_code"`
	CampaignKey string    `json:"campaign_key"`
	InvoiceID   int64     `json:"invoice_id"`
	PayBy       time.Time `json:"pay_by"`
}

// Placement places the order, pending. An order placed already is a no-op: the pipeline tells a retry
// apart by its command id, and an id is never allocated twice.
func Placement(s State, c Place, now time.Time) ([]Event, error) {
	if s.Exists() {
		return nil, nil
	}
	if err := c.Problems().Err(); err != nil {
		return nil, err
	}
	return []Event{Placed{OrderID: c.OrderID, CustomerID: c.CustomerID, AccountID: c.AccountID, SiteID: c.SiteID,
		Currency: c.Currency, Items: c.Items, Amounts: c.Amounts, AddressID: c.AddressID, CouponCode: c.CouponCode,
		CampaignKey: c.CampaignKey, InvoiceID: c.InvoiceID, PayBy: c.PayBy.UTC(), PlacedAt: now}}, nil
}

// Payment completes a pending order once its invoice is paid; paying it again is a no-op.
func Payment(s State, now time.Time) ([]Event, error) {
	switch s.Status {
	case "":
		return nil, ErrNotFound
	case StatusPaid:
		return nil, nil
	case StatusCanceled:
		return nil, ErrCanceled
	}
	return []Event{Paid{OrderID: s.ID, PaidAt: now}}, nil
}

// Cancellation ends a pending order unpaid for reason; an order canceled already is a no-op. An order may
// expire only once its deadline passed.
func Cancellation(s State, reason CancelReason, now time.Time) ([]Event, error) {
	switch {
	case s.Status == "":
		return nil, ErrNotFound
	case s.Status == StatusPaid:
		return nil, ErrAlreadyPaid
	case s.Status == StatusCanceled:
		return nil, nil
	case reason == ReasonExpired && now.Before(s.PayBy):
		return nil, ErrNotDue
	}
	return []Event{Canceled{OrderID: s.ID, Reason: reason, CanceledAt: now}}, nil
}
