// Package subscription is the subscription aggregate (spec 2.4, 3.5; rules 16–21): a customer's right to a
// plan for successive periods, renewed and dunned by the billing clock. Each subscription is one stream,
// subscription-<id>, and keeps its id across change, renew, cancel and reactivate.
//
// The aggregate decides; it never prices from the catalog nor talks to a gateway. Commands copy the plan and
// coupon into Terms and Coupon, price bills with aggregates/pricing, open and pay invoices (aggregates/invoice,
// which carry the subscription id), and record here what happened: a subscription is created only once its
// first invoice is paid or waits for 3-D Secure, so a declined card leaves no subscription behind.
//
// The billing clock (commands' billing process manager) asks State.Due what the subscription waits for and
// when; every due item is decided here (StartNextPeriod, RecordPaymentFailed, End, NotifyGift), so a run
// repeated for the same instant finds nothing due twice.
package subscription

import (
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// Event is implemented by every subscription event. Every event carries the subscription id and its time.
type Event interface {
	isSubscriptionEvent()
}

// Created records a new subscription. Status is active (first invoice paid or nothing to pay) or incomplete
// (the first invoice waits for 3-D Secure). InvoiceID is the first invoice, 0 when nothing was billed.
type Created struct {
	SubscriptionID int64             `json:"subscription_id"`
	CustomerID     int64             `json:"customer_id"`
	AccountID      int64             `json:"account_id"`
	SiteID         int64             `json:"site_id"`
	Type           Type              `json:"type"`
	Status         Status            `json:"status"`
	Terms          Terms             `json:"terms"`
	Quantity       int64             `json:"quantity"`
	Coupon         *Coupon           `json:"coupon,omitempty"`
	AddressID      int64             `json:"address_id,omitempty"`
	Billing        Billing           `json:"billing"`
	Payment        Payment           `json:"payment,omitzero"`
	PeriodStart    time.Time         `json:"period_start"`
	PeriodEnd      time.Time         `json:"period_end"`
	InvoiceID      int64             `json:"invoice_id,omitempty"`
	PeriodAmount   int64             `json:"period_amount"`
	CampaignKey    string            `json:"campaign_key,omitempty"`
	Metadata       map[string]string `json:"metadata,omitempty"`
	Domains        []string          `json:"domains,omitempty"`
	IPAddresses    []string          `json:"ip_addresses,omitempty"`
	// GiftCode is the donor's code (gift_donor); GiftOf the donor subscription a recipient's was redeemed
	// from (gift_recipient).
	GiftCode string `json:"gift_code,omitempty"`
	GiftOf   int64  `json:"gift_of,omitempty"`
	// Gift is who receives a donor's gift. Personal: sealed under the subscription's key.
	Gift Gift `json:"gift,omitzero" personal:"true"`
	// GiftStart is the day the recipient is sent the code (gift_start_date), midnight UTC.
	GiftStart time.Time `json:"gift_start,omitzero"`
	// DaysUntilDue is how long a subscription paid by invoice gives the customer to pay each invoice (the
	// account's days_until_due when it was created; 0 in events before it was kept: the default), and
	// InvoiceDueAt when its first invoice is due (zero: nothing billed, or an event before it was kept).
	DaysUntilDue int       `json:"days_until_due,omitempty"`
	InvoiceDueAt time.Time `json:"invoice_due_at,omitzero"`
	CreatedAt    time.Time `json:"created_at"`
}

// PaymentSucceeded records that an invoice of the subscription was paid: a first invoice after 3-D Secure, a
// renewal, or a dunned invoice paid by a retry or by the customer. The subscription is active again.
type PaymentSucceeded struct {
	SubscriptionID int64     `json:"subscription_id"`
	InvoiceID      int64     `json:"invoice_id"`
	Amount         int64     `json:"amount"`
	PaidAt         time.Time `json:"paid_at"`
}

// PaymentFailed records that charging the invoice failed: the subscription is past due. NextRetryAt is when
// dunning charges it again, zero when no retry is left (End follows at FailedAt).
type PaymentFailed struct {
	SubscriptionID int64     `json:"subscription_id"`
	InvoiceID      int64     `json:"invoice_id"`
	Failures       int       `json:"failures"`
	Reason         string    `json:"reason"`
	NextRetryAt    time.Time `json:"next_retry_at,omitzero"`
	FailedAt       time.Time `json:"failed_at"`
}

// PeriodStarted records that the billing clock started the next period, with the phase (or the current
// terms) it bills, and opened its invoice (InvoiceID; 0 when the period costs nothing or a phase was paid in
// advance). Charging that invoice is the next due item.
type PeriodStarted struct {
	SubscriptionID int64     `json:"subscription_id"`
	Cycle          int       `json:"cycle"`
	Phase          Phase     `json:"phase"`
	FromPhase      bool      `json:"from_phase"`
	PeriodStart    time.Time `json:"period_start"`
	PeriodEnd      time.Time `json:"period_end"`
	InvoiceID      int64     `json:"invoice_id,omitempty"`
	Amount         int64     `json:"amount"`
	CreditUsed     int64     `json:"credit_used,omitempty"`
	// InvoiceDueAt is when the invoice of a subscription paid by invoice is due (zero: charged
	// automatically, nothing billed, or an event before it was kept).
	InvoiceDueAt time.Time `json:"invoice_due_at,omitzero"`
	StartedAt    time.Time `json:"started_at"`
}

// CancellationScheduled records a cancellation that takes effect at CancelAt (the end of the current or of
// the last scheduled period); until then the subscription runs and may be reactivated.
type CancellationScheduled struct {
	SubscriptionID int64      `json:"subscription_id"`
	Mode           CancelMode `json:"mode"`
	Reason         string     `json:"reason,omitempty"`
	CancelAt       time.Time  `json:"cancel_at"`
	ScheduledAt    time.Time  `json:"scheduled_at"`
}

// Reactivated records that a scheduled cancellation was undone (#29).
type Reactivated struct {
	SubscriptionID int64     `json:"subscription_id"`
	ReactivatedAt  time.Time `json:"reactivated_at"`
}

// Ended records the end of the subscription: Status is canceled (at once, at a scheduled instant, or after
// dunning), expired (a period that does not renew ran out) or unpaid (dunning gave up and the account keeps
// it unpaid). Refund is what was given back of the last charge for the unused time (cancel now).
type Ended struct {
	SubscriptionID int64     `json:"subscription_id"`
	Status         Status    `json:"status"`
	Reason         string    `json:"reason,omitempty"`
	By             Actor     `json:"by"`
	Refund         int64     `json:"refund,omitempty"`
	EndedAt        time.Time `json:"ended_at"`
}

// PhaseAdded records a phase added after the current period and the phases already scheduled (renew #30, a
// gift redeemed onto the subscription #34); ReplacedUpcoming says it replaced the phases not started yet.
type PhaseAdded struct {
	SubscriptionID   int64     `json:"subscription_id"`
	Phase            Phase     `json:"phase"`
	ReplacedUpcoming bool      `json:"replaced_upcoming,omitempty"`
	AddedAt          time.Time `json:"added_at"`
}

// PlanChanged records a switch of plan in the middle of a period (#31): the new terms apply at once.
// When the change costs more, the subscription's credit paid CreditUsed of the proration and InvoiceID
// billed the rest (Charged); when it costs less, the difference is kept as Credited for the subscription's
// next invoices. A change of interval starts a new period now. Events before credit paid changes have no
// CreditUsed (their Charged is the whole proration).
type PlanChanged struct {
	SubscriptionID int64     `json:"subscription_id"`
	Terms          Terms     `json:"terms"`
	Quantity       int64     `json:"quantity"`
	Coupon         *Coupon   `json:"coupon,omitempty"`
	AddressID      int64     `json:"address_id,omitempty"`
	PeriodStart    time.Time `json:"period_start"`
	PeriodEnd      time.Time `json:"period_end"`
	PeriodAmount   int64     `json:"period_amount"`
	InvoiceID      int64     `json:"invoice_id,omitempty"`
	Charged        int64     `json:"charged,omitempty"`
	CreditUsed     int64     `json:"credit_used,omitempty"`
	Credited       int64     `json:"credited,omitempty"`
	ChangedAt      time.Time `json:"changed_at"`
}

// GiftNotified records that the gift's recipient was sent its code (on the gift's start date): the mail
// outbox queues the message from it, so it carries the code, the recipient and the donor's site.
type GiftNotified struct {
	SubscriptionID int64  `json:"subscription_id"`
	CustomerID     int64  `json:"customer_id,omitempty"`
	SiteID         int64  `json:"site_id,omitempty"`
	GiftCode       string `json:"gift_code,omitempty"`
	// Gift is who receives the gift. Personal: sealed under the subscription's key.
	Gift       Gift      `json:"gift,omitzero" personal:"true"`
	NotifiedAt time.Time `json:"notified_at"`
}

// GiftRedeemed records, on the donor's subscription, that its code was redeemed, by whom and into which
// subscription (a new one, or a phase of an existing one).
type GiftRedeemed struct {
	SubscriptionID          int64     `json:"subscription_id"`
	RecipientCustomerID     int64     `json:"recipient_customer_id"`
	RecipientSubscriptionID int64     `json:"recipient_subscription_id"`
	RedeemedAt              time.Time `json:"redeemed_at"`
}

// Erased records that the subscription's personal data (a gift's recipient) was erased with its customer.
type Erased struct {
	SubscriptionID int64     `json:"subscription_id"`
	ErasedAt       time.Time `json:"erased_at"`
}

// ErasesPersonalData marks Erased as an erasure (aggregates.Erasure).
func (Erased) ErasesPersonalData() {}

func (Created) isSubscriptionEvent()               {}
func (PaymentSucceeded) isSubscriptionEvent()      {}
func (PaymentFailed) isSubscriptionEvent()         {}
func (PeriodStarted) isSubscriptionEvent()         {}
func (CancellationScheduled) isSubscriptionEvent() {}
func (Reactivated) isSubscriptionEvent()           {}
func (Ended) isSubscriptionEvent()                 {}
func (PhaseAdded) isSubscriptionEvent()            {}
func (PlanChanged) isSubscriptionEvent()           {}
func (GiftNotified) isSubscriptionEvent()          {}
func (GiftRedeemed) isSubscriptionEvent()          {}
func (Erased) isSubscriptionEvent()                {}

// Events names every subscription event. Warning: the names are a stored format (see aggregates.Registry);
// renaming one orphans the events already written.
var Events = func() *aggregates.Registry {
	r := aggregates.NewRegistry()
	aggregates.MustRegister[Created](r, "subscription.created")
	aggregates.MustRegister[PaymentSucceeded](r, "subscription.payment_succeeded")
	aggregates.MustRegister[PaymentFailed](r, "subscription.payment_failed")
	aggregates.MustRegister[PeriodStarted](r, "subscription.period_started")
	aggregates.MustRegister[CancellationScheduled](r, "subscription.cancellation_scheduled")
	aggregates.MustRegister[Reactivated](r, "subscription.reactivated")
	aggregates.MustRegister[Ended](r, "subscription.ended")
	aggregates.MustRegister[PhaseAdded](r, "subscription.phase_added")
	aggregates.MustRegister[PlanChanged](r, "subscription.plan_changed")
	aggregates.MustRegister[GiftNotified](r, "subscription.gift_notified")
	aggregates.MustRegister[GiftRedeemed](r, "subscription.gift_redeemed")
	aggregates.MustRegister[GiftTermGiven](r, "subscription.gift_term_given")
	aggregates.MustRegister[Erased](r, "subscription.erased")
	aggregates.MustRegister[PurchaseAwaitingPayment](r, "subscription.purchase_awaiting_payment")
	aggregates.MustRegister[PurchaseSettled](r, "subscription.purchase_settled")
	aggregates.MustRegister[PurchaseAbandoned](r, "subscription.purchase_abandoned")
	aggregates.MustRegister[MemberInvited](r, "subscription.member_invited")
	aggregates.MustRegister[MemberActivated](r, "subscription.member_activated")
	aggregates.MustRegister[MemberRemoved](r, "subscription.member_removed")
	aggregates.MustRegister[MemberInvitationErased](r, "subscription.member_invitation_erased")
	aggregates.MustRegister[AddressChanged](r, "subscription.address_changed")
	aggregates.MustRegister[InvoiceOverdue](r, "subscription.invoice_overdue")
	return r
}()
