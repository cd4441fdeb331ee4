// Package order is the e-commerce order aggregate (spec 2.10 #54, 3.7, rule 27). Each order is one stream,
// order-<id>. An order is placed pending, priced once and for all, with the invoice that will bill it and
// the deadline by which it must be paid; it ends paid (its units sold) or canceled (out of stock, declined,
// or expired: nobody finished it by its deadline, and its units went back to stock).
package order

import (
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// Event is implemented by every order event.
type Event interface {
	isOrderEvent()
}

// Item is one line of an order: Quantity units of a SKU at UnitAmount each (the SKU's price when placed).
// Unlimited says the SKU had no inventory when the order was placed: the item holds and sells no units on
// the SKU's stock stream (an order placed before the flag existed reads false: its items hold stock).
type Item struct {
	SKUID              int64  `json:"sku_id"`
	EcommerceProductID int64  `json:"ecommerce_product_id"`
	Name               string `json:"name"`
	Quantity           int64  `json:"quantity"`
	UnitAmount         int64  `json:"unit_amount"`
	Unlimited          bool   `json:"unlimited,omitempty"`
}

// Amount is the line's total before discount and taxes.
func (i Item) Amount() int64 { return i.UnitAmount * i.Quantity }

// Amounts are an order's sums in minor units: Total = Subtotal + Shipping + Tax − Discount (Tax counts
// only the taxes added to the prices). InclusiveTax is the taxes the prices hold already (inclusive
// rates): part of the Subtotal, reported and never added (orders placed before it was recorded read 0).
type Amounts struct {
	Subtotal     int64 `json:"subtotal"`
	Shipping     int64 `json:"shipping"`
	Tax          int64 `json:"tax"`
	InclusiveTax int64 `json:"inclusive_tax,omitempty"`
	Discount     int64 `json:"discount"`
	Total        int64 `json:"total"`
}

// AllTax is every jurisdiction's tax, the inclusive ones included: the order resource's tax.
func (a Amounts) AllTax() int64 { return a.Tax + a.InclusiveTax }

// Placed records a new pending order, priced, with the invoice that bills it and its payment deadline.
type Placed struct {
	OrderID     int64     `json:"order_id"`
	CustomerID  int64     `json:"customer_id"`
	AccountID   int64     `json:"account_id"`
	SiteID      int64     `json:"site_id"`
	Currency    string    `json:"currency"`
	Items       []Item    `json:"items"`
	Amounts     Amounts   `json:"amounts"`
	AddressID   int64     `json:"address_id,omitempty"`
	CouponCode  string    `json:"coupon_code,omitempty"`
	CampaignKey string    `json:"campaign_key,omitempty"`
	InvoiceID   int64     `json:"invoice_id"`
	PayBy       time.Time `json:"pay_by"`
	PlacedAt    time.Time `json:"placed_at"`
}

// Paid records that the order's invoice was paid: the order is complete and its units sold.
type Paid struct {
	OrderID int64     `json:"order_id"`
	PaidAt  time.Time `json:"paid_at"`
}

// Canceled records that the order ended unpaid, for Reason.
type Canceled struct {
	OrderID    int64        `json:"order_id"`
	Reason     CancelReason `json:"reason"`
	CanceledAt time.Time    `json:"canceled_at"`
}

func (Placed) isOrderEvent()   {}
func (Paid) isOrderEvent()     {}
func (Canceled) isOrderEvent() {}

// Events names every order event. Warning: the names are a stored format (see aggregates.Registry).
var Events = func() *aggregates.Registry {
	r := aggregates.NewRegistry()
	aggregates.MustRegister[Placed](r, "order.placed")
	aggregates.MustRegister[Paid](r, "order.paid")
	aggregates.MustRegister[Canceled](r, "order.canceled")
	return r
}()
