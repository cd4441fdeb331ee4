package subscription

import "time"

// An immediate cancellation (#28 mode now) refunds the unused time through a gateway, which the aggregate
// does not talk to. It therefore takes two decisions around the refund: StartImmediateCancel records the
// instant it is cancelled (a CancellationScheduled of mode now, at now), from which the refund is computed,
// so a retry or a concurrent request refunds the very same amount under the same gateway key; then
// FinishImmediateCancel ends the subscription with what was refunded, abandoning with it a purchase
// awaiting 3-D Secure whose invoice the caller voided.

// StartImmediateCancel records an immediate cancellation; one already started is a no-op (the caller
// finishes it). Refusals as CancelSubscription's, and ErrImmediateCancellationDisabled.
func StartImmediateCancel(s State, c Cancel, now time.Time) ([]Event, error) {
	c.Mode = CancelNow
	if err := c.Problems().Err(); err != nil {
		return nil, err
	}
	if err := cancellable(s, CancelNow); err != nil {
		return nil, err
	}
	if !c.ImmediateAllowed {
		return nil, ErrImmediateCancellationDisabled
	}
	if s.CancellingNow() {
		return nil, nil
	}
	return []Event{CancellationScheduled{SubscriptionID: s.ID, Mode: CancelNow, Reason: c.keptReason(s), CancelAt: now,
		ScheduledAt: now}}, nil
}

// CancellingNow reports whether an immediate cancellation was started and not finished yet.
func (s State) CancellingNow() bool {
	return s.Exists() && !s.Ended() && s.CancelMode == CancelNow
}

// ImmediateRefund is what an immediate cancellation started gives back: the unused time of the current
// period at the instant it was cancelled, and the credit the subscription still holds (the customer paid
// for it, and an ended subscription has no invoice left to use it on). A gift given gives back all it was
// billed (GiftRefundsAll).
func (s State) ImmediateRefund() int64 {
	if s.GiftRefundsAll() {
		return s.PeriodAmount + max(s.Credit, 0)
	}
	return s.Refund(s.CancelAt) + max(s.Credit, 0)
}

// GiftRefundsAll reports whether cancelling now gives back everything the subscription was billed, the
// terms it holds as phases included: a gift given, which only its unredeemed gift can be cancelled (see
// giftCancellable), has given its recipient nothing, so none of its time was used.
func (s State) GiftRefundsAll() bool { return s.Type == TypeGiftDonor }

// FinishImmediateCancel ends a subscription whose immediate cancellation was started, at that instant,
// recording refund (what the gateway gave back). voided is the invoice of the purchase awaiting 3-D Secure
// that the caller voided first (its intent canceled at the gateway), 0 for none: that purchase is abandoned
// in the same decision, so nothing waits on the ended subscription and a late payment of it finds no
// purchase to apply. A purchase whose invoice the caller did not void (one that started to wait after the
// caller looked) keeps waiting: its deadline gives it up, and a payment of it is refunded as refused.
// Finishing one already ended is a no-op.
func FinishImmediateCancel(s State, refund, voided int64) ([]Event, error) {
	switch {
	case !s.Exists():
		return nil, ErrNotFound
	case s.Ended():
		return nil, nil
	case s.CancelMode != CancelNow:
		return nil, ErrNotDue
	}
	var events []Event
	if s.Awaiting != nil && voided != 0 && s.Awaiting.InvoiceID == voided {
		events = append(events, PurchaseAbandoned{SubscriptionID: s.ID, InvoiceID: voided, AbandonedAt: s.CancelAt})
	}
	return append(events, Ended{SubscriptionID: s.ID, Status: StatusCanceled, Reason: s.CancelReason,
		By: ByCustomer, Refund: refund, EndedAt: s.CancelAt}), nil
}
