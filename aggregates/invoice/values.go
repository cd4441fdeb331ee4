package invoice

import "time"

// Status is where an invoice stands (spec 3.6).
type Status string

const (
	StatusDraft         Status = "draft"
	StatusOpen          Status = "open"
	StatusPaid          Status = "paid"
	StatusUncollectible Status = "uncollectible"
	StatusVoid          Status = "void"
)

// BillingReason says why an invoice exists (spec 3.6).
type BillingReason string

const (
	ReasonManual             BillingReason = "manual"
	ReasonSubscriptionCreate BillingReason = "subscription_create"
	ReasonSubscriptionCycle  BillingReason = "subscription_cycle"
	ReasonSubscriptionUpdate BillingReason = "subscription_update"
	ReasonOrderCreate        BillingReason = "order_create"
)

// billingReasons are the reasons an invoice may be created with.
var billingReasons = []BillingReason{ReasonManual, ReasonSubscriptionCreate, ReasonSubscriptionCycle,
	ReasonSubscriptionUpdate, ReasonOrderCreate}

// Line is one item of an invoice: Quantity times UnitAmount, in the invoice's currency's minor units.
type Line struct {
	Description string `json:"description"`
	UnitAmount  int64  `json:"unit_amount"`
	Quantity    int64  `json:"quantity"`
}

// Amount is the line's total.
func (l Line) Amount() int64 { return l.UnitAmount * l.Quantity }

// Amounts are an invoice's sums in minor units: Total = Subtotal + Tax - Discount, Tax being the taxes added
// to the lines. InclusiveTax is the taxes the lines' amounts hold already (inclusive rates): part of the
// Subtotal, reported and never added (invoices opened before it was recorded read 0).
type Amounts struct {
	Subtotal     int64 `json:"subtotal"`
	Tax          int64 `json:"tax"`
	InclusiveTax int64 `json:"inclusive_tax,omitempty"`
	Discount     int64 `json:"discount"`
	Total        int64 `json:"total"`
}

// AllTax is every jurisdiction's tax, the inclusive ones included: the invoice resource's tax.
func (a Amounts) AllTax() int64 { return a.Tax + a.InclusiveTax }

// Period is the service period an invoice bills (a subscription's cycle); zero when it bills none.
type Period struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Means is what an attempt charges: a saved source of the customer (SourceID with the gateway's ids of the
// card and the customer) or a single-use gateway token. Gateway is the payment_gateway serving it. SetsUp
// marks a saved card still waiting for its own 3-D Secure setup: the customer authenticating the charge
// sets the card up for later charges too (Stripe's setup_future_usage).
type Means struct {
	Gateway           string `json:"gateway"`
	SourceID          int64  `json:"source_id,omitempty"`
	CardGatewayID     string `json:"card_gateway_id,omitempty"`
	CustomerGatewayID string `json:"customer_gateway_id,omitempty"`
	Token             string `json:"token,omitempty" secret:"true"`
	SetsUp            bool   `json:"sets_up,omitempty"`
}

// SameMethod reports whether m and other pay with the same payment method: the same saved source, or the
// same token at the same gateway (whatever else the attempt recorded of it).
func (m Means) SameMethod(other Means) bool {
	return m.Gateway == other.Gateway && m.SourceID == other.SourceID && m.Token == other.Token
}

// Card is what the gateway told of the card a charge took money from.
type Card struct {
	Brand string `json:"brand,omitempty"`
	Last4 string `json:"last4,omitempty"`
}
