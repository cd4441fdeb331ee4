// Package invoice is the invoice aggregate (spec 2.7, 3.6, rule 24): what a customer owes, in integer minor
// units of one lowercase currency, and how it got paid. Each invoice is one stream, invoice-<id>.
//
// Paying is a conversation with a payment gateway that may crash or time out half-way, so it is recorded in
// steps: PaymentAttempted (attempt n, before the gateway is called, with everything needed to repeat the
// very same request), then one outcome of that attempt: Paid, PaymentDeclined or PaymentRequiresAction (a
// 3-D Secure intent the customer must complete, later followed by Paid or PaymentDeclined). An attempt
// without an outcome is pending: whoever finds it repeats its request with the attempt's gateway key, which
// the gateway answers with the first outcome, so nothing is ever charged twice.
//
// Invoices are opened by operators (pelcro invoices create), and later by process managers (subscriptions,
// orders) through the same Create decision: BillingReason and SubscriptionID (or OrderID) say why an invoice exists.
package invoice

import (
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// Event is implemented by every invoice event.
type Event interface {
	isInvoiceEvent()
}

// Created records a new invoice, draft or open, with its amounts computed once and for all.
type Created struct {
	InvoiceID      int64         `json:"invoice_id"`
	CustomerID     int64         `json:"customer_id"`
	AccountID      int64         `json:"account_id"`
	SiteID         int64         `json:"site_id"`
	Status         Status        `json:"status"`
	Currency       string        `json:"currency"`
	Lines          []Line        `json:"lines"`
	Amounts        Amounts       `json:"amounts"`
	BillingReason  BillingReason `json:"billing_reason"`
	SubscriptionID int64         `json:"subscription_id,omitempty"`
	OrderID        int64         `json:"order_id,omitempty"`
	Description    string        `json:"description,omitempty"`
	DueAt          time.Time     `json:"due_at,omitzero"`
	Period         Period        `json:"period,omitzero"`
	CreatedAt      time.Time     `json:"created_at"`
}

// Finalized records that a draft became open: from now on it can be paid.
type Finalized struct {
	InvoiceID   int64     `json:"invoice_id"`
	FinalizedAt time.Time `json:"finalized_at"`
}

// Voided records that the invoice is cancelled: nothing is owed any more.
type Voided struct {
	InvoiceID int64     `json:"invoice_id"`
	VoidedAt  time.Time `json:"voided_at"`
}

// MarkedUncollectible records that the money is not expected any more (dunning gave up).
type MarkedUncollectible struct {
	InvoiceID int64     `json:"invoice_id"`
	MarkedAt  time.Time `json:"marked_at"`
}

// PaymentAttempted records, before the gateway is called, attempt Attempt with the means it charges: enough
// to repeat exactly the same request after a crash. Warning: Means may hold the gateway's single-use token;
// it is spent by the attempt (and expires within minutes anyway), which is why keeping it is acceptable.
type PaymentAttempted struct {
	InvoiceID   int64     `json:"invoice_id"`
	Attempt     int       `json:"attempt"`
	Means       Means     `json:"means"`
	Amount      int64     `json:"amount"`
	Currency    string    `json:"currency"`
	AttemptedAt time.Time `json:"attempted_at"`
}

// PaymentRequiresAction records that the attempt's charge waits for the customer to complete a 3-D Secure
// intent; nothing was taken yet. Card is the card the gateway said it will charge (empty when it did not
// say, as in events recorded before it was kept): the charge recorded once the intent completes shows it.
type PaymentRequiresAction struct {
	InvoiceID int64     `json:"invoice_id"`
	Attempt   int       `json:"attempt"`
	IntentID  string    `json:"intent_id"`
	Card      Card      `json:"card,omitzero"`
	At        time.Time `json:"at"`
}

// PaymentDeclined records that the attempt took nothing: the card was refused (Reason is the gateway port's
// decline reason, e.g. "card_declined") or its 3-D Secure intent was cancelled. The invoice stays open.
type PaymentDeclined struct {
	InvoiceID  int64     `json:"invoice_id"`
	Attempt    int       `json:"attempt"`
	Reason     string    `json:"reason"`
	DeclinedAt time.Time `json:"declined_at"`
}

// Paid records that the invoice is settled: by the charge ChargeID of attempt Attempt, or, for an invoice
// of zero, without any charge (Attempt 0, no ChargeID, no gateway called).
type Paid struct {
	InvoiceID  int64     `json:"invoice_id"`
	CustomerID int64     `json:"customer_id"`
	Attempt    int       `json:"attempt"`
	ChargeID   string    `json:"charge_id,omitempty"`
	Gateway    string    `json:"gateway,omitempty"`
	Amount     int64     `json:"amount"`
	Currency   string    `json:"currency"`
	Card       Card      `json:"card,omitzero"`
	PaidAt     time.Time `json:"paid_at"`
}

func (Created) isInvoiceEvent()               {}
func (Finalized) isInvoiceEvent()             {}
func (Voided) isInvoiceEvent()                {}
func (MarkedUncollectible) isInvoiceEvent()   {}
func (PaymentAttempted) isInvoiceEvent()      {}
func (PaymentRequiresAction) isInvoiceEvent() {}
func (PaymentDeclined) isInvoiceEvent()       {}
func (Paid) isInvoiceEvent()                  {}

// Events names every invoice event. Warning: the names are a stored format (see aggregates.Registry);
// renaming one orphans the events already written.
var Events = func() *aggregates.Registry {
	r := aggregates.NewRegistry()
	aggregates.MustRegister[Created](r, "invoice.created")
	aggregates.MustRegister[Finalized](r, "invoice.finalized")
	aggregates.MustRegister[Voided](r, "invoice.voided")
	aggregates.MustRegister[MarkedUncollectible](r, "invoice.marked_uncollectible")
	aggregates.MustRegister[PaymentAttempted](r, "invoice.payment_attempted")
	aggregates.MustRegister[PaymentRequiresAction](r, "invoice.payment_requires_action")
	aggregates.MustRegister[PaymentDeclined](r, "invoice.payment_declined")
	aggregates.MustRegister[Paid](r, "invoice.paid")
	aggregates.MustRegister[Refunded](r, "invoice.refunded")
	return r
}()
