package subscription

import "time"

// DueKind is a kind of work the billing clock does for a subscription. Warning: stored in the deadline
// table; renaming one strands the rows already there.
type DueKind string

const (
	// DueCharge: charge the unsettled invoice (a renewal just opened, or a dunning retry).
	DueCharge DueKind = "charge"
	// DueRenew: start the next period (a scheduled phase, or the same terms again).
	DueRenew DueKind = "renew"
	// DueEnd: end the subscription (a scheduled cancellation, a period that does not renew).
	DueEnd DueKind = "end"
	// DueGiftNotice: tell a gift's recipient (on the gift's start day).
	DueGiftNotice DueKind = "gift_notification"
	// DuePaymentExpiry: give up on a payment awaiting 3-D Secure past PaymentDeadline (expiry.go).
	DuePaymentExpiry DueKind = "payment_expiry"
	// DueInvoiceOverdue: the invoice of a subscription paid by invoice is due and unpaid (overdue.go).
	DueInvoiceOverdue DueKind = "invoice_overdue"
	// DueOverdueEnd: end a subscription whose overdue invoice is still unpaid at the end of dunning.
	DueOverdueEnd DueKind = "overdue_end"
)

// Due is the next work a subscription waits for, and from when.
type Due struct {
	Kind DueKind
	At   time.Time
}

// Due is what the billing clock must do next for the subscription, if anything. One item at a time: the
// next one is known once this one is done, so a deadline table keeps one row per subscription. A payment
// awaiting 3-D Secure expires in its turn, before any later item.
func (s State) Due() (Due, bool) {
	next, ok := s.nextItem()
	if expiry, waits := s.paymentExpiry(); waits && (!ok || expiry.Before(next.At)) {
		return Due{Kind: DuePaymentExpiry, At: expiry}, true
	}
	return next, ok
}

// nextItem is the subscription's next billing item but a payment's expiry.
func (s State) nextItem() (Due, bool) {
	switch {
	case !s.Exists():
		return Due{}, false
	case s.Type == TypeGiftDonor:
		return s.giftItem()
	case s.Ended():
		return Due{}, false
	case s.Status == StatusIncomplete:
		return s.firstInvoiceExpiry()
	}
	return s.heldForInvoice(s.periodItem())
}

// periodItem is the next billing item of a running subscription: a charge, a scheduled end, a renewal.
func (s State) periodItem() (Due, bool) {
	switch {
	case s.Charging:
		return Due{Kind: DueCharge, At: s.PeriodStart}, true
	case !s.NextRetryAt.IsZero():
		return Due{Kind: DueCharge, At: s.NextRetryAt}, true
	case !s.CancelAt.IsZero() && !s.CancelAt.After(s.PeriodEnd):
		return Due{Kind: DueEnd, At: s.CancelAt}, true
	case s.renews():
		return Due{Kind: DueRenew, At: s.PeriodEnd}, true
	}
	return Due{Kind: DueEnd, At: s.PeriodEnd}, true
}

// giftItem is a gift given's next item, the earliest of: telling its recipient on the start day (a gift
// redeemed before it has reached its recipient: nothing is left to tell), and its end: at once for an
// immediate cancellation cut half-way, else, once redeemed, when the last term it gave its recipient ends
// (GiftTermsEnd, gift_end.go; for a gift redeemed before that was recorded, at the end of its period or at
// the redemption when that came later), also with a cancellation scheduled before gifts refused them (it
// then ends canceled). The terms are the recipient's from the redemption on; the donor's subscription runs
// while the recipient holds what the donor paid for, and ends so the donor's gift_recipients shows the gift
// over once it is. A gift never redeemed waits for its recipient, even with such an old scheduled
// cancellation. Warning: ending an unredeemed gift on one would take a paid gift away from its recipient
// without refunding its donor (only CancelNow refunds).
func (s State) giftItem() (Due, bool) {
	if s.Ended() {
		return Due{}, false
	}
	var end Due
	switch {
	case !s.CancelAt.IsZero() && s.CancelMode == CancelNow:
		end = Due{Kind: DueEnd, At: s.CancelAt}
	case s.GiftRedeemed:
		end = Due{Kind: DueEnd, At: latest(latest(s.PeriodEnd, s.RedeemedAt), s.GiftTermsEnd)}
	}
	if s.GiftPaid && !s.GiftNotified && !s.GiftRedeemed && !s.GiftStart.IsZero() &&
		(end.Kind == "" || s.GiftStart.Before(end.At)) {
		return Due{Kind: DueGiftNotice, At: s.GiftStart}, true
	}
	return end, end.Kind != ""
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// due refuses a clock decision of kind when the subscription does not wait for it at now.
func (s State) due(kind DueKind, now time.Time) error {
	due, ok := s.Due()
	if !ok || due.Kind != kind || due.At.After(now) {
		return ErrNotDue
	}
	return nil
}

// renews reports whether a period follows the current one: a scheduled phase, or the terms the subscription
// renews on (its own again after a gift's term) when their plan renews automatically.
func (s State) renews() bool {
	next, fromPhase := s.Upcoming()
	return fromPhase || next.Terms.AutoRenew
}

// Upcoming is what the next period will be: the first scheduled phase, else the subscription's own terms
// held aside while a gift's term runs (OwnTerms), else the current terms again.
func (s State) Upcoming() (phase Phase, fromPhase bool) {
	if len(s.Phases) > 0 {
		return s.Phases[0], true
	}
	if s.Own != nil {
		return s.Own.Phase, false
	}
	return Phase{Terms: s.Terms, Quantity: s.Quantity, Coupon: s.Coupon, AddressID: s.AddressID}, false
}

// CouponApplies reports whether the upcoming phase's coupon discounts the next period. The coupon of a
// gift's term is not the subscription's: after it, the subscription's own coupon applies as if the gift's
// terms had not run (ownCoupon).
func (s State) CouponApplies(p Phase) bool {
	start := s.PeriodEnd
	coupon, since := s.ownCoupon(start)
	if p.Coupon != nil && (coupon == nil || coupon.ID != p.Coupon.ID) {
		return true // a phase's own coupon starts with the phase
	}
	return p.Coupon.AppliesTo(false, since, start)
}

// NextPeriod is the billing of the upcoming period, priced by the caller: InvoiceID and Amount (0 and 0 when
// nothing is billed, e.g. a phase paid in advance), and the subscription credit the invoice used.
type NextPeriod struct {
	InvoiceID  int64
	Amount     int64
	CreditUsed int64
}

// StartNextPeriod starts the upcoming period when the current one ended (the billing clock, due kind renew).
// A period priced above MaxPeriodAmount cannot be billed: the subscription ends instead, canceled by the
// system with ReasonAmountTooLarge, so the clock moves on rather than failing on it at every run.
func StartNextPeriod(s State, next NextPeriod, now time.Time) ([]Event, error) {
	if err := s.due(DueRenew, now); err != nil {
		return nil, err
	}
	if len(PeriodTotalProblems(next.Amount)) > 0 {
		return []Event{Ended{SubscriptionID: s.ID, Status: StatusCanceled, Reason: ReasonAmountTooLarge,
			By: BySystem, EndedAt: now}}, nil
	}
	phase, fromPhase := s.Upcoming()
	start := s.PeriodEnd
	started := PeriodStarted{SubscriptionID: s.ID, Cycle: s.Cycle + 1, Phase: phase, FromPhase: fromPhase,
		PeriodStart: start, PeriodEnd: phase.Terms.PeriodEnd(start), InvoiceID: next.InvoiceID,
		Amount: next.Amount, CreditUsed: min(next.CreditUsed, s.Credit), StartedAt: now}
	if next.InvoiceID != 0 && s.Billing == BillingSendInvoice {
		// the invoice is issued at the period's start (the billing clock's instant), due InvoiceDays later
		started.InvoiceDueAt = start.AddDate(0, 0, s.InvoiceDays())
	}
	return []Event{started}, nil
}

// RecordPayment records that invoiceID, an invoice of the subscription, was paid. An invoice the
// subscription does not wait for, or already knows paid, is a no-op.
func RecordPayment(s State, invoiceID, amount int64, now time.Time) ([]Event, error) {
	if !s.Exists() {
		return nil, ErrNotFound
	}
	if s.Unsettled != invoiceID || invoiceID == 0 {
		return nil, nil
	}
	return []Event{PaymentSucceeded{SubscriptionID: s.ID, InvoiceID: invoiceID, Amount: amount, PaidAt: now}}, nil
}

// Dunning is the account's retry policy: Retries are the delays, counted from the first failure, of the
// charges tried again (default +3, +5 and +7 days); past the last, the subscription ends canceled, or
// unpaid when KeepUnpaid.
type Dunning struct {
	Retries    []time.Duration
	KeepUnpaid bool
}

// DefaultDunning retries at +3, +5 and +7 days and cancels after the last failure.
var DefaultDunning = Dunning{Retries: []time.Duration{3 * 24 * time.Hour, 5 * 24 * time.Hour, 7 * 24 * time.Hour}}

// RecordPaymentFailed records that charging the unsettled invoice failed (the billing clock, due kind charge):
// past due with the next retry, or the end of the subscription after the last one.
func RecordPaymentFailed(s State, invoiceID int64, reason string, policy Dunning, now time.Time) ([]Event, error) {
	if err := s.due(DueCharge, now); err != nil {
		return nil, err
	}
	if s.Unsettled != invoiceID {
		return nil, ErrNotDue
	}
	failures := s.Failures + 1
	failed := PaymentFailed{SubscriptionID: s.ID, InvoiceID: invoiceID, Failures: failures, Reason: reason,
		FailedAt: now}
	if failures <= len(policy.Retries) {
		first := s.dunningSince(now)
		failed.NextRetryAt = first.Add(policy.Retries[failures-1])
		return []Event{failed}, nil
	}
	end := Ended{SubscriptionID: s.ID, Status: StatusCanceled, Reason: "payment_failed", By: BySystem, EndedAt: now}
	if policy.KeepUnpaid {
		end.Status = StatusUnpaid
	}
	return []Event{failed, end}, nil
}

// dunningSince is when the unsettled invoice first failed, from which the retries are counted: now for a
// first failure.
func (s State) dunningSince(now time.Time) time.Time {
	if s.Failures == 0 {
		return now
	}
	return s.DunningSince
}

// End ends the subscription when its scheduled cancellation or its last period is due (the billing clock,
// due kind end): canceled when it was set to cancel, expired when it simply does not renew.
func End(s State, now time.Time) ([]Event, error) {
	if err := s.due(DueEnd, now); err != nil {
		return nil, err
	}
	due, _ := s.Due()
	if !s.CancelAt.IsZero() {
		return []Event{Ended{SubscriptionID: s.ID, Status: StatusCanceled, Reason: s.CancelReason, By: BySystem,
			EndedAt: due.At}}, nil
	}
	return []Event{Ended{SubscriptionID: s.ID, Status: StatusExpired, Reason: "not_renewed", By: BySystem,
		EndedAt: due.At}}, nil
}

// NotifyGift records that the gift's recipient was told (the billing clock, due kind gift_notification); the
// caller queues the mail in the same step.
func NotifyGift(s State, now time.Time) ([]Event, error) {
	if err := s.due(DueGiftNotice, now); err != nil {
		return nil, err
	}
	return []Event{GiftNotified{SubscriptionID: s.ID, CustomerID: s.CustomerID, SiteID: s.SiteID,
		GiftCode: s.GiftCode, Gift: s.Gift, NotifiedAt: now}}, nil
}
