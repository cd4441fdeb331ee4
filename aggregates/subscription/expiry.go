package subscription

import "time"

// A payment that waits for the customer's 3-D Secure (a new subscription's first invoice, a renewal, change
// or gift term bought on it) does not wait forever: PaymentDeadline after it began, the billing clock gives
// up on it (due kind payment_expiry). The caller first makes sure the invoice can no longer be paid (it
// cancels the intent at the gateway where it can and voids the invoice; an invoice paid meanwhile is applied
// as paid instead), then records ExpirePayment's decision.

// PaymentDeadline is how long a payment may wait for 3-D Secure: 23 hours, as Stripe leaves a new
// subscription incomplete before it expires it, so a front end built on Stripe's conventions finds the same.
const PaymentDeadline = 23 * time.Hour

// StatusIncompleteExpired: a new subscription whose first invoice was never paid by the deadline. It never
// granted anything and never will; it is listed with the subscriptions that ended.
const StatusIncompleteExpired Status = "incomplete_expired"

// ReasonPaymentExpired is the end reason of an incomplete subscription expired (Ended.Reason).
const ReasonPaymentExpired = "payment_expired"

// paymentExpiry is when the payment the subscription awaits expires, if it awaits one: a purchase awaiting
// 3-D Secure (also on a subscription that ended meanwhile, whose invoice must not stay payable), or the
// first invoice of an incomplete subscription charged by card. One paid by invoice (send_invoice) waits for
// the customer as long as the invoice is open.
func (s State) paymentExpiry() (time.Time, bool) {
	switch {
	case !s.Exists():
		return time.Time{}, false
	case s.Awaiting != nil:
		return s.AwaitingSince.Add(PaymentDeadline), true
	case !s.Ended() && s.Status == StatusIncomplete && s.Billing == BillingChargeAutomatically && s.Unsettled != 0:
		return s.Created.Add(PaymentDeadline), true
	}
	return time.Time{}, false
}

// AwaitedInvoice is the invoice whose payment the subscription awaits: its awaited purchase's, else its
// unsettled one (an incomplete subscription's first invoice).
func (s State) AwaitedInvoice() int64 {
	if s.Awaiting != nil {
		return s.Awaiting.InvoiceID
	}
	return s.Unsettled
}

// ExpirePayment gives up on the payment awaited past its deadline (the billing clock, due kind
// payment_expiry), once the caller voided its invoice: an awaited purchase is abandoned and the subscription
// stands as it did before it (its status never changed: a renewal, change or gift term applies only once
// paid); an incomplete subscription ends incomplete_expired.
func ExpirePayment(s State, now time.Time) ([]Event, error) {
	if err := s.due(DuePaymentExpiry, now); err != nil {
		return nil, err
	}
	if p := s.Awaiting; p != nil {
		return []Event{PurchaseAbandoned{SubscriptionID: s.ID, InvoiceID: p.InvoiceID, AbandonedAt: now}}, nil
	}
	return []Event{Ended{SubscriptionID: s.ID, Status: StatusIncompleteExpired, Reason: ReasonPaymentExpired,
		By: BySystem, EndedAt: now}}, nil
}

// PurchaseAbandoned records that the renewal, change or gift term awaiting 3-D Secure was given up, at its
// deadline or by an immediate cancellation of the subscription (FinishImmediateCancel): its invoice
// InvoiceID was voided unpaid, and nothing of it applies.
type PurchaseAbandoned struct {
	SubscriptionID int64     `json:"subscription_id"`
	InvoiceID      int64     `json:"invoice_id"`
	AbandonedAt    time.Time `json:"abandoned_at"`
}

func (PurchaseAbandoned) isSubscriptionEvent() {}
