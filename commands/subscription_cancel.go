package commands

import (
	"context"
	"errors"
	"math"
	"strconv"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// Cancellation is POST /subscription/cancel (#28) by the customer of Target.
type Cancellation struct {
	Target
	SubscriptionID int64
	Mode           subscription.CancelMode
	Reason         string
}

// Cancel cancels the customer's subscription. Modes current_period_end and last_period_end (the default)
// schedule the end; mode now (when the account allows it, rule 18) refunds the unused part of the current
// period, the credit left and the phases paid in advance, from the charges that paid them, and ends the
// subscription at once, in three steps so a retry or a concurrent request refunds once: record the
// instant, refund each charge at the gateway under a key of the subscription and its invoice (refund),
// record the end.
//
// A subscription paid by invoice whose first invoice is unpaid never started: whatever the mode, its
// invoice is voided and it ends at once (voidUnpaidStart).
//
// Refusals: the cancellation's Problems (first), subscription.ErrNotFound (unknown or another customer's),
// the aggregate's refusals (ErrEnded, ErrGiftRecipient, ErrGiftDonor, ErrPaymentPending,
// ErrImmediateCancellationDisabled), and the gateway's errors for the refund.
func (c Subscriptions) Cancel(ctx context.Context, env Envelope, in Cancellation) (SubscriptionResult, error) {
	cancel := subscription.Cancel{Mode: in.Mode, Reason: in.Reason}
	if err := cancel.Problems().Err(); err != nil {
		return SubscriptionResult{}, err // the values as sent, before any business rule
	}
	defer c.lock(in.SubscriptionID)()
	s, err := c.Read(ctx, in.SubscriptionID)
	if err != nil {
		return SubscriptionResult{}, err
	}
	if !s.BelongsTo(in.CustomerID, in.AccountID) {
		return SubscriptionResult{}, subscription.ErrNotFound
	}
	if unpaid, err := c.voidUnpaidStart(ctx, env, s); err != nil || unpaid {
		if err != nil {
			return SubscriptionResult{}, err
		}
		return c.decide(ctx, env, in.Target, in.SubscriptionID, func(s subscription.State, now time.Time) ([]subscription.Event, error) {
			return subscription.CancelSubscription(s, cancel, 0, now)
		})
	}
	if in.Mode == subscription.CancelNow {
		policy, err := c.Catalog.Account(ctx, in.AccountID)
		if err != nil {
			return SubscriptionResult{}, err
		}
		cancel.ImmediateAllowed = policy.ImmediateCancellation
		if _, err := c.decide(ctx, env.derived("start"), in.Target, in.SubscriptionID,
			func(s subscription.State, now time.Time) ([]subscription.Event, error) {
				return subscription.StartImmediateCancel(s, cancel, now)
			}); err != nil {
			return SubscriptionResult{}, err
		}
		return c.finishImmediateCancel(ctx, env, in.SubscriptionID)
	}
	if s.CancellingNow() { // an immediate cancellation cut half-way: it wins over a later mode
		if _, err := c.finishImmediateCancel(ctx, env, in.SubscriptionID); err != nil {
			return SubscriptionResult{}, err
		}
	}
	return c.decide(ctx, env, in.Target, in.SubscriptionID, func(s subscription.State, now time.Time) ([]subscription.Event, error) {
		return subscription.CancelSubscription(s, cancel, 0, now)
	})
}

// Reactivate undoes the customer's scheduled cancellation (#29, rule 19). Refusals: subscription.ErrNotFound,
// ErrEnded, ErrGiftRecipient, ErrNotAutoRenew, ErrNotCanceling.
func (c Subscriptions) Reactivate(ctx context.Context, env Envelope, who Target, id int64) (SubscriptionResult, error) {
	return c.decide(ctx, env, who, id, func(s subscription.State, now time.Time) ([]subscription.Event, error) {
		if s.CancellingNow() {
			return nil, subscription.ErrEnded // ending at this very moment
		}
		return subscription.Reactivate(s, now)
	})
}

// decide runs a decision of the customer's on their subscription; anybody else's reads as unknown.
func (c Subscriptions) decide(ctx context.Context, env Envelope, who Target, id int64,
	decide func(subscription.State, time.Time) ([]subscription.Event, error)) (SubscriptionResult, error) {
	return c.handle(ctx, env, id, func(s subscription.State, now time.Time) ([]subscription.Event, error) {
		if !s.BelongsTo(who.CustomerID, who.AccountID) {
			return nil, subscription.ErrNotFound
		}
		return decide(s, now)
	})
}

// finishImmediateCancel refunds what a started immediate cancellation gives back, then ends the
// subscription (finishCancellingNow).
func (c Subscriptions) finishImmediateCancel(ctx context.Context, env Envelope, id int64) (SubscriptionResult, error) {
	done, err := c.finishCancellingNow(ctx, env, id)
	return SubscriptionResult{SubscriptionID: id, Result: done.Result}, err
}

// finishCancellingNow gives up the purchase awaiting 3-D Secure, if any (voidAwaitedPurchase), refunds what
// a started immediate cancellation gives back (refund), then ends the subscription with it, abandoning the
// purchase voided. The customer's request does it, and so does the billing clock when it finds one cut
// half-way (a failed refund, a crash): the end is due at once, and ending it without the refund would lose
// the refund for good. Voiding first keeps the customer from paying, after the end, for a purchase the
// ended subscription can no longer take.
func (c Subscriptions) finishCancellingNow(ctx context.Context, env Envelope, id int64) (subscriptionAfter, error) {
	s, err := c.Read(ctx, id)
	if err != nil {
		return subscriptionAfter{}, err
	}
	refunded, voided := int64(0), int64(0)
	if s.CancellingNow() {
		if voided, err = c.voidAwaitedPurchase(ctx, env, s); err != nil {
			return subscriptionAfter{}, err
		}
		if s, err = c.Read(ctx, id); err != nil {
			return subscriptionAfter{}, err
		}
		if refunded, err = c.refund(ctx, env, s); err != nil {
			return subscriptionAfter{}, err
		}
	}
	return c.handleState(ctx, env.derived("end"), id, func(s subscription.State, _ time.Time) ([]subscription.Event, error) {
		return subscription.FinishImmediateCancel(s, refunded, voided)
	})
}

// refund gives back what an immediate cancellation owes: the unused period and the credit
// (subscription.State.ImmediateRefund) from the charges of the invoices that funded them, latest first,
// then every phase the customer paid in advance, which will never start, in full (on a gift given, the
// terms the donor added too: subscription.State.GiftRefundsAll). Each refund is under a
// key naming the subscription and the invoice (Invoices.Refund), and the split depends only on the
// recorded cancellation, so a retry after a failure half-way refunds each charge once.
func (c Subscriptions) refund(ctx context.Context, env Envelope, s subscription.State) (int64, error) {
	owed, refunded := s.ImmediateRefund(), int64(0)
	for i := len(s.Funding) - 1; i >= 0 && refunded < owed; i-- {
		amount, err := c.refundInvoice(ctx, env, s.ID, s.Funding[i], owed-refunded)
		if err != nil {
			return 0, err
		}
		refunded += amount
	}
	for _, p := range s.Phases {
		if p.PaidBy == 0 || (p.Gift && !s.GiftRefundsAll()) { // billed when it starts, or a donor's gift on
			// the recipient's subscription: nothing of the customer's (on the donor's own, the donor paid it)
			continue
		}
		amount, err := c.refundInvoice(ctx, env, s.ID, p.PaidBy, math.MaxInt64)
		if err != nil {
			return 0, err
		}
		refunded += amount
	}
	return refunded, nil
}

// refundInvoice refunds at most most of the charge that paid invoiceID for the subscription's cancellation.
// Warning: the key is a stored contract with the gateway; changing it refunds a retried cancellation twice.
func (c Subscriptions) refundInvoice(ctx context.Context, env Envelope, subscriptionID, invoiceID, most int64) (int64,
	error) {
	id := strconv.FormatInt(invoiceID, 10)
	return c.Invoices.Refund(ctx, env.derived("refund-"+id), invoiceID,
		"subscription-"+strconv.FormatInt(subscriptionID, 10)+"-cancel-refund-"+id, most)
}

// voidUnpaidStart voids the unpaid first invoice of s when s is a subscription paid by invoice that never
// started (incomplete), and reports whether it did: the cancellation then ends it. An invoice the customer
// paid meanwhile is recorded as paid instead (s is active now, and cancels as any other).
func (c Subscriptions) voidUnpaidStart(ctx context.Context, env Envelope, s subscription.State) (bool, error) {
	if s.Status != subscription.StatusIncomplete || s.Billing != subscription.BillingSendInvoice || s.Unsettled == 0 {
		return false, nil
	}
	err := c.Invoices.VoidAbandoning(ctx, env.derived("unpaid-start"), s.Unsettled)
	if errors.Is(err, invoice.ErrAlreadyPaid) {
		bill, err := c.Invoices.Read(ctx, s.Unsettled)
		if err == nil {
			_, err = c.RecordInvoicePaid(ctx, env.derived("paid"), bill.ID, bill.Total)
		}
		return false, err
	}
	return err == nil, err
}
