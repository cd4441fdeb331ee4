package subscription

import (
	"time"
	"unicode/utf8"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/pricing"
)

// Cancel is POST /subscription/cancel (#28) by the subscription's customer.
type Cancel struct {
	Mode   CancelMode
	Reason string `json:"reason"`
	// ImmediateAllowed is the account's immediate_cancellation_enabled (rule 18).
	ImmediateAllowed bool
}

// Problems are the broken value rules of the cancellation.
func (c Cancel) Problems() Problems {
	p := aggregates.TextProblems(c)
	switch c.Mode {
	case "", CancelNow, CancelAtPeriodEnd, CancelAtLastPeriodEnd:
	default:
		p = append(p, Problem{Field: "mode", Rule: RuleCancelMode})
	}
	if utf8.RuneCountInString(c.Reason) > MaxCancelReason {
		p = append(p, Problem{Field: "reason", Rule: RuleMaxLength, Max: MaxCancelReason})
	}
	return p
}

// Refund is what cancelling now gives back: the unused part of what the current period was billed, less
// what the subscription still owes (an unsettled invoice is not refunded).
func (s State) Refund(now time.Time) int64 {
	if s.Unsettled != 0 {
		return 0
	}
	return pricing.Period{Start: s.PeriodStart, End: s.PeriodEnd}.Unused(s.PeriodAmount, now)
}

// CancelSubscription decides a cancellation. Mode now ends the subscription at once with a refund of the
// unused time (refund is what the caller gave back, State.Refund); the other modes schedule the end and keep
// the subscription running until then. Cancelling again with the same mode is a no-op; another mode moves
// the scheduled end. A subscription paid by invoice whose first invoice is unpaid ends at once, whatever the
// mode: it never granted anything (the caller voided that invoice first).
func CancelSubscription(s State, c Cancel, refund int64, now time.Time) ([]Event, error) {
	if err := c.Problems().Err(); err != nil {
		return nil, err
	}
	mode := c.Mode
	if mode == "" {
		mode = DefaultCancelMode
	}
	if err := cancellable(s, mode); err != nil {
		return nil, err
	}
	c.Reason = c.keptReason(s)
	if s.Status == StatusIncomplete { // paid by invoice (cancellable): it never started, so it ends now
		return []Event{Ended{SubscriptionID: s.ID, Status: StatusCanceled, Reason: c.Reason, By: ByCustomer,
			EndedAt: now}}, nil
	}
	switch mode {
	case CancelNow:
		if !c.ImmediateAllowed {
			return nil, ErrImmediateCancellationDisabled
		}
		return []Event{Ended{SubscriptionID: s.ID, Status: StatusCanceled, Reason: c.Reason, By: ByCustomer,
			Refund: refund, EndedAt: now}}, nil
	default:
		return schedule(s, mode, c.Reason, s.scheduledEnd(mode), now), nil
	}
}

// keptReason is the reason a cancellation records: the one it gives, else the one of the cancellation
// already scheduled, so asking again without a reason (a retry, a change of mode) never erases it.
func (c Cancel) keptReason(s State) string {
	if c.Reason == "" {
		return s.CancelReason
	}
	return c.Reason
}

func schedule(s State, mode CancelMode, reason string, at time.Time, now time.Time) []Event {
	if s.CancelAt.Equal(at) && s.CancelMode == mode && s.CancelReason == reason {
		return nil
	}
	return []Event{CancellationScheduled{SubscriptionID: s.ID, Mode: mode, Reason: reason, CancelAt: at,
		ScheduledAt: now}}
}

// scheduledEnd is where a scheduled cancellation of mode takes effect: the end of the last phase
// (last_period_end), or the end of the current period (current_period_end). Neither comes before the terms
// paid for already have run: a phase paid in advance or by a gift is money taken, which the billing clock
// would otherwise drop at the end, unstarted and unrefunded.
func (s State) scheduledEnd(mode CancelMode) time.Time {
	if mode == CancelAtLastPeriodEnd {
		return s.LastPeriodEnd()
	}
	return s.paidThrough()
}

// paidThrough is the end of the last term paid for: the current period, or the last phase paid in advance
// or by a gift (the phases before it run first, billed when they start).
func (s State) paidThrough() time.Time {
	end, paid := s.PeriodEnd, s.PeriodEnd
	for _, p := range s.Phases {
		end = p.Terms.PeriodEnd(end)
		if p.PaidBy != 0 || p.Gift {
			paid = end
		}
	}
	return paid
}

// rescheduled appends to events, decided on s, the move of s's scheduled cancellation to where mode puts it
// once they apply (a phase added, a change of interval that started a new period), so the end keeps its
// promise. Nothing moves without a scheduled end, for an immediate cancellation under way, or when the end
// stays where it is.
func rescheduled(s State, events []Event, mode CancelMode, now time.Time) []Event {
	if s.CancelAt.IsZero() || (mode != CancelAtPeriodEnd && mode != CancelAtLastPeriodEnd) {
		return events
	}
	at := EvolveAll(s, events).scheduledEnd(mode)
	if at.Equal(s.CancelAt) && mode == s.CancelMode {
		return events
	}
	return append(events, CancellationScheduled{SubscriptionID: s.ID, Mode: mode, Reason: s.CancelReason,
		CancelAt: at, ScheduledAt: now})
}

// cancellable refuses what rule 18 and the Core rules keep from being cancelled in mode: a gift received,
// and a gift given but by the one cancellation it can take (giftCancellable).
func cancellable(s State, mode CancelMode) error {
	switch {
	case !s.Exists():
		return ErrNotFound
	case s.Ended():
		return ErrEnded
	case s.Type == TypeGiftRecipient:
		return ErrGiftRecipient
	case s.Type == TypeGiftDonor:
		if err := s.giftCancellable(mode); err != nil {
			return err
		}
	}
	if s.Status == StatusIncomplete && !s.awaitsInvoice() || s.Charging {
		return ErrPaymentPending
	}
	return nil
}

// giftCancellable refuses the cancellations a gift given cannot take: a gift never renews, so an end at a
// period's end has nothing to stop (and Reactivate could never undo it); and once redeemed its terms are
// the recipient's, so cancelling it now would refund the donor what the recipient keeps. The one
// cancellation left is mode now before the redemption: the donor gets back everything they paid
// (GiftRefundsAll) and the code can no longer be redeemed. A gift not paid yet is cancelled as any
// subscription whose first invoice is unpaid.
func (s State) giftCancellable(mode CancelMode) error {
	if s.Status == StatusIncomplete { // never paid: nothing given, nothing to refund (cancellable goes on)
		return nil
	}
	if mode != CancelNow || s.GiftRedeemed {
		return ErrGiftDonor
	}
	return nil
}

// Reactivate undoes a scheduled cancellation (#29, rule 19): only on an auto-renew subscription in its grace
// period, never on a gift.
func Reactivate(s State, now time.Time) ([]Event, error) {
	switch {
	case !s.Exists():
		return nil, ErrNotFound
	case s.Ended():
		return nil, ErrEnded
	case s.Type == TypeGiftRecipient || s.Type == TypeGiftDonor:
		return nil, ErrGiftRecipient
	case !s.AutoRenews():
		return nil, ErrNotAutoRenew
	case s.CancelAt.IsZero():
		return nil, ErrNotCanceling
	}
	return []Event{Reactivated{SubscriptionID: s.ID, ReactivatedAt: now}}, nil
}
