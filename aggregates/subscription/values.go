package subscription

import (
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/pricing"
)

// Status is where a subscription stands (spec 3.5). Warning: a stored and served value.
type Status string

const (
	// StatusIncomplete: created, its first invoice waits for the customer's 3-D Secure authentication; it
	// grants nothing until that invoice is paid.
	StatusIncomplete Status = "incomplete"
	StatusActive     Status = "active"
	StatusTrialing   Status = "trialing"
	// StatusPastDue: a renewal charge failed; dunning retries it (docs/subscriptions.md).
	StatusPastDue Status = "past_due"
	// StatusUnpaid: dunning gave up and the account keeps such subscriptions as unpaid instead of canceled;
	// paying the open invoice makes it active again.
	StatusUnpaid   Status = "unpaid"
	StatusCanceled Status = "canceled"
	// StatusExpired: a subscription that does not renew reached the end of its last period.
	StatusExpired Status = "expired"
)

// Running reports whether a subscription in this status still grants its plan (the customer resource lists
// it under `subscriptions`, else under `expired_subscriptions`).
func (s Status) Running() bool {
	return s == StatusActive || s == StatusTrialing || s == StatusPastDue
}

// Type is what kind of subscription it is (spec 3.5). Warning: a stored and served value.
type Type string

const (
	TypeRegular       Type = "regular"
	TypeMembership    Type = "membership"
	TypeGiftDonor     Type = "gift_donor"
	TypeGiftRecipient Type = "gift_recipient"
)

// Billing is how a subscription's invoices are collected (spec 3.5).
type Billing string

const (
	BillingChargeAutomatically Billing = "charge_automatically"
	BillingSendInvoice         Billing = "send_invoice"
)

// Terms are a plan as it was sold: copied from the catalog when the subscription (or a phase) is created,
// so a later price change in the catalog never changes what a running period costs.
type Terms struct {
	PlanID        int64  `json:"plan_id"`
	ProductID     int64  `json:"product_id"`
	Amount        int64  `json:"amount"`
	Currency      string `json:"currency"`
	Interval      string `json:"interval"`
	IntervalCount int64  `json:"interval_count"`
	AutoRenew     bool   `json:"auto_renew"`
	Membership    bool   `json:"membership,omitempty"`
	// MemberSeatCapacity is how many members a membership plan seats besides its owner (spec 3.3).
	MemberSeatCapacity int64 `json:"member_seat_capacity,omitempty"`
}

// PeriodEnd is the end of a period of these terms that starts at start. Months and years are calendar ones
// (Go's AddDate: 31 January plus a month is 3 March, as the billing-cycle anchor of docs/subscriptions.md
// says). An interval the catalog would refuse gives a period of one day, never an empty one.
func (t Terms) PeriodEnd(start time.Time) time.Time {
	n := int(max(t.IntervalCount, 1))
	switch t.Interval {
	case "year":
		return start.AddDate(n, 0, 0)
	case "month":
		return start.AddDate(0, n, 0)
	case "week":
		return start.AddDate(0, 0, 7*n)
	default:
		return start.AddDate(0, 0, n)
	}
}

// Coupon is a coupon as it applied to the subscription: copied when it was given.
type Coupon struct {
	ID               int64        `json:"id"`
	Code             string       `json:"code"`
	PercentOff       pricing.Rate `json:"percent_off,omitempty"`
	AmountOff        int64        `json:"amount_off,omitempty"`
	Duration         string       `json:"duration"`
	DurationInMonths int64        `json:"duration_in_months,omitempty"`
}

// Coupon durations (the catalog's `duration`).
const (
	DurationOnce      = "once"
	DurationForever   = "forever"
	DurationRepeating = "repeating"
)

// AppliesTo reports whether the coupon, given at since, still discounts a period starting at start that is
// the first period of the coupon's use when first is true: once is the first period only, forever every
// period, repeating every period starting within DurationInMonths months of since.
func (c *Coupon) AppliesTo(first bool, since, start time.Time) bool {
	switch {
	case c == nil:
		return false
	case c.Duration == DurationForever:
		return true
	case c.Duration == DurationRepeating:
		return start.Before(since.AddDate(0, int(c.DurationInMonths), 0))
	default:
		return first
	}
}

// Discount is what the coupon takes off a bill (nil: nothing).
func (c *Coupon) Discount() pricing.Discount {
	if c == nil {
		return pricing.Discount{}
	}
	return pricing.Discount{PercentOff: c.PercentOff, AmountOff: c.AmountOff}
}

// Phase is what a subscription becomes for one later period: renewals (#30) and redeemed gifts (#34) add
// phases, which the billing clock starts one by one when the current period ends.
type Phase struct {
	Terms     Terms   `json:"terms"`
	Quantity  int64   `json:"quantity"`
	Coupon    *Coupon `json:"coupon,omitempty"`
	AddressID int64   `json:"address_id,omitempty"`
	// PaidBy is the invoice that paid the phase in advance (renew #30), or 0 when the billing clock bills it
	// when it starts; Gift marks a phase a redeemed gift paid for.
	PaidBy int64 `json:"paid_by,omitempty"`
	Gift   bool  `json:"gift,omitempty"`
	// GiftOf is the donor subscription of the gift that gave this phase: redeemed onto an existing
	// subscription (#34), so that redemption, finished again, is recognised, or a term the donor added
	// (#33), so the donor's gift knows where its terms end (State.GiftTermsHeld).
	GiftOf int64 `json:"gift_of,omitempty"`
}

// Payment is the card of the customer's wallet (SourceID) at Gateway the subscription was created with, its
// own card. Renewals charge the customer's default card while it is chargeable, this one only otherwise (the
// wallet keeps it from deletion only then). Zero means nothing is charged automatically (a free plan, or
// invoices sent to be paid).
type Payment struct {
	SourceID int64  `json:"source_id,omitempty"`
	Gateway  string `json:"gateway,omitempty"`
}

// CancelMode is when a cancellation takes effect (#28).
type CancelMode string

const (
	CancelNow             CancelMode = "now"
	CancelAtPeriodEnd     CancelMode = "current_period_end"
	CancelAtLastPeriodEnd CancelMode = "last_period_end"
	// DefaultCancelMode is the mode of a cancellation that names none (rule 18).
	DefaultCancelMode = CancelAtLastPeriodEnd
)

// Actor is who made a change: the customer, or the billing clock (the system).
type Actor string

const (
	ByCustomer Actor = "customer"
	BySystem   Actor = "system"
)

// Gift is who a donor's gift is for and what it says (#27 gift fields). Personal data of the recipient.
type Gift struct {
	RecipientEmail     string `json:"recipient_email"`
	RecipientFirstName string `json:"recipient_first_name,omitempty"`
	RecipientLastName  string `json:"recipient_last_name,omitempty"`
	Message            string `json:"message,omitempty" text:"multiline"`
}
