package subscription

import (
	"errors"
	"time"
)

// A renewal (#30), a plan change (#31) or a gift term (#33) paid now may meet a card asking for 3-D Secure:
// the invoice then waits for the customer to complete the payment intent, as a first invoice does (#27).
// Nothing is applied meanwhile: AwaitPayment records what the invoice pays for, and SettlePurchase applies it
// once the invoice is paid (the reactor to invoice.paid), deciding again on the subscription as it stands.

// PurchaseKind is what an awaited invoice pays for. Warning: stored in events.
type PurchaseKind string

const (
	PurchaseRenewal  PurchaseKind = "renewal"
	PurchaseChange   PurchaseKind = "change"
	PurchaseGiftTerm PurchaseKind = "gift_term"
)

// ErrPeriodMoved: the subscription moved on (a new period started, its price changed) between billing a
// change and its payment, so the proration charged no longer holds.
var ErrPeriodMoved = errors.New("subscription: the subscription changed while the payment was awaited")

// Purchase is a renewal, change or gift term whose invoice InvoiceID waits for its payment. Phase is the
// renewal's phase or the gift's term (PaidBy the invoice), Change the change with Charged what its invoice
// charges (ChangeBill's Due), At when it was priced (a change is prorated at that instant).
type Purchase struct {
	Kind            PurchaseKind `json:"kind"`
	InvoiceID       int64        `json:"invoice_id"`
	Phase           *Phase       `json:"phase,omitempty"`
	ReplaceUpcoming bool         `json:"replace_upcoming,omitempty"`
	Change          *Change      `json:"change,omitempty"`
	Charged         int64        `json:"charged,omitempty"`
	At              time.Time    `json:"at"`
}

// AwaitPayment records a purchase whose invoice waits for 3-D Secure. One at a time: a subscription already
// awaiting one refuses another (ErrPaymentPending), as it refuses renewals and changes meanwhile. A redeemed
// gift the billing clock ended still takes a term for its recipient (the term goes to the recipient's
// subscription, which the caller checked; the donor's only keeps the wait).
func AwaitPayment(s State, p Purchase, now time.Time) ([]Event, error) {
	switch {
	case !s.Exists():
		return nil, ErrNotFound
	case s.Awaiting != nil && s.Awaiting.InvoiceID == p.InvoiceID:
		return nil, nil
	case s.Awaiting != nil:
		return nil, ErrPaymentPending
	case s.Ended() && !(p.Kind == PurchaseGiftTerm && s.GiftRedeemed):
		return nil, ErrEnded
	}
	return []Event{PurchaseAwaitingPayment{SubscriptionID: s.ID, Purchase: p, AwaitingSince: now}}, nil
}

// SettlePurchase applies the awaited purchase invoiceID pays for, now that it is paid: the renewal's phase,
// the change (at the instant it was prorated), or the gift's term while the gift is not redeemed (once
// redeemed, the caller gave the term to the recipient's subscription first). A purchase the subscription
// refuses now (it ended, or moved on) is settled unapplied, with the refusal, for the caller to refund. An
// invoice the subscription does not await is a no-op. A payment pending is no refusal: it is transient, so
// SettlePurchase returns ErrPaymentPending and settles nothing, for the caller to try again (the payments
// reactor retries the event).
func SettlePurchase(s State, invoiceID int64, now time.Time) ([]Event, error) {
	if !s.Exists() {
		return nil, ErrNotFound
	}
	if s.Awaiting == nil || s.Awaiting.InvoiceID != invoiceID {
		return nil, nil
	}
	applied, err := applyPurchase(s, now)
	if errors.Is(err, ErrPaymentPending) {
		return nil, err
	}
	if err != nil {
		return RefusePurchase(s, invoiceID, err.Error(), now)
	}
	settled := PurchaseSettled{SubscriptionID: s.ID, InvoiceID: invoiceID, Applied: true, SettledAt: now}
	return append([]Event{settled}, applied...), nil
}

// applyPurchase decides what the awaited purchase adds to s, as if nothing were awaited.
func applyPurchase(s State, now time.Time) ([]Event, error) {
	p := s.Awaiting
	free := s
	free.Awaiting = nil
	switch {
	case p.Kind == PurchaseRenewal && p.Phase != nil:
		return AddPhase(free, Renew{Phase: *p.Phase, ReplaceUpcoming: p.ReplaceUpcoming}, now)
	case p.Kind == PurchaseChange && p.Change != nil:
		if free.ChangeBill(*p.Change, p.At).Due != p.Charged {
			return nil, ErrPeriodMoved
		}
		return ChangePlan(free, *p.Change, s.Awaiting.InvoiceID, p.At)
	case p.Kind == PurchaseGiftTerm && p.Phase != nil && !free.GiftRedeemed:
		return ExtendGift(free, *p.Phase, now)
	}
	return nil, nil
}

// RefusePurchase settles the awaited purchase invoiceID paid for without applying it, for reason (the
// caller's refusal of the gift's term on the recipient's subscription, or SettlePurchase's).
func RefusePurchase(s State, invoiceID int64, reason string, now time.Time) ([]Event, error) {
	if s.Awaiting == nil || s.Awaiting.InvoiceID != invoiceID {
		return nil, nil
	}
	return []Event{PurchaseSettled{SubscriptionID: s.ID, InvoiceID: invoiceID, Refusal: reason, SettledAt: now}}, nil
}

// PurchaseAwaitingPayment records a renewal, change or gift term billed in an invoice that waits for 3-D
// Secure; nothing of it applies until PurchaseSettled.
type PurchaseAwaitingPayment struct {
	SubscriptionID int64     `json:"subscription_id"`
	Purchase       Purchase  `json:"purchase"`
	AwaitingSince  time.Time `json:"awaiting_since"`
}

// PurchaseSettled records that the awaited invoice was paid: the purchase applied (the events after it in
// the same append), or refused (Refusal) by a subscription that moved on meanwhile.
type PurchaseSettled struct {
	SubscriptionID int64     `json:"subscription_id"`
	InvoiceID      int64     `json:"invoice_id"`
	Applied        bool      `json:"applied"`
	Refusal        string    `json:"refusal,omitempty"`
	SettledAt      time.Time `json:"settled_at"`
}

func (PurchaseAwaitingPayment) isSubscriptionEvent() {}
func (PurchaseSettled) isSubscriptionEvent()         {}
