package commands

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// BillingActor is who the billing clock's events are recorded as (aggregates.Metadata.Actor).
const BillingActor = "system:billing"

// maxBillingSteps bounds the items BillDue does for one subscription in one call: a daily plan over ten
// years, far more than any run needs, and a stop for a decision that would keep the same item due.
const maxBillingSteps = 10_000

// BillingAction is one item the billing clock did for a subscription, for the run's report.
type BillingAction struct {
	SubscriptionID int64
	Kind           subscription.DueKind
	// At is the item's due instant: the business time stamped on everything the item wrote.
	At        time.Time
	InvoiceID int64
	// Outcome is what became of it: renewed, paid, payment_failed, past_due (an invoice overdue), canceled,
	// unpaid, expired, gift_notified, incomplete_expired.
	Outcome string
	// Detail says more (a decline reason, the amount charged).
	Detail string
}

// BillDue does, one after another, every item subscription id is due for up to until (renew, charge, end,
// gift notification, the expiry of a payment awaiting 3-D Secure; see subscription.State.Due), each at its
// own due instant, and reports each. It returns the log position of the last event it wrote (zero when it
// wrote none).
//
// It is safe to run again, and concurrently, for the same subscription: every item's command ids derive from
// (subscription, kind, due instant) and, for a renewal, the invoice id it allocated (an end's and a gift
// notice's are the call's own, ownWrite); the aggregate refuses an item no longer due (the run that finds an
// item done by another moves on to what is due next, without reporting it), an invoice is opened under the
// id the subscription recorded, and paying it reuses a pending attempt's gateway key. A crash anywhere, a
// rerun and two runs at once (a claim whose lease ran out) therefore never charge twice.
func (c Subscriptions) BillDue(ctx context.Context, id int64, until time.Time,
	report func(BillingAction)) (eventstore.Position, error) {
	var last eventstore.Position
	var previous subscription.Due
	// The first read may be the run's read-ahead (ReadDue, ahead): it decides a step only where
	// readAheadDecides says so; anything else, and any step decided on it that did not complete, is decided
	// on the log, read first, as without a read-ahead.
	var s subscription.State
	var revision uint64
	var ahead bool
	if renewed, ok := takeRenewedAhead(ctx, id); ok {
		// The run renewed it ahead (RenewAhead, which reported it): go on from what that append left, as
		// after a renewal of BillDue's own.
		after := renewed.renewal.done
		s, revision, last, previous = after.state, after.Revision, after.Position, renewed.due
	} else {
		h, err := loadRecent(ctx, c.Store, SubscriptionAggregate, subscriptionStream(id))
		if err != nil {
			return last, err
		}
		s, revision, ahead = h.state, h.last.Revision, h.unread
	}
	var err error
	for range maxBillingSteps {
		due, ok := s.Due()
		if ahead && !(ok && !due.At.After(until) && readAheadDecides(s, due)) {
			if s, revision, err = c.readAt(ctx, id); err != nil {
				return last, err
			}
			ahead = false
			continue
		}
		if !ok || due.At.After(until) {
			return last, nil
		}
		if due == previous {
			return last, fmt.Errorf("commands: billing subscription %d: %s due at %s stays due", id, due.Kind,
				due.At.Format(time.RFC3339))
		}
		previous = due
		step := c.at(due.At)
		action, after, err := step.act(ctx, billingEnvelope(id, s, due), s, revision, due, ahead)
		if errors.Is(err, subscription.ErrNotDue) || ahead && err != nil {
			// Another run did the item first, or the step the read-ahead decided did not complete (nothing it
			// wrote is unguarded: see readAheadDecides): read what is due now, and decide it on the log.
			if ahead {
				previous = subscription.Due{} // the same item is due again, to be decided on the log
			}
			if s, revision, err = c.readAt(ctx, id); err != nil {
				return last, err
			}
			ahead = false
			continue
		}
		if err != nil {
			return last, fmt.Errorf("commands: billing subscription %d: %s due at %s: %w", id, due.Kind,
				due.At.Format(time.RFC3339), err)
		}
		if after.Position != (eventstore.Position{}) {
			last = after.Position
		}
		// what the item's last command left, and where: the stream need not be read back
		s, revision, ahead = after.state, after.Revision, false
		if report != nil {
			report(action)
		}
	}
	return last, fmt.Errorf("commands: billing subscription %d: more than %d items due", id, maxBillingSteps)
}

// billingEnvelope is the envelope of subscription id's due item (s its state): its command id derives from
// the item, so a rerun and a rival run decide it under the same id.
func billingEnvelope(id int64, s subscription.State, due subscription.Due) Envelope {
	return Envelope{CommandID: fmt.Sprintf("billing:%d:%s:%s", id, due.Kind, due.At.UTC().Format(time.RFC3339Nano)),
		SiteID: strconv.FormatInt(s.SiteID, 10), Actor: BillingActor, alike: true}
}

// ownWrite is env under a command id of this call's own, for an item whose one write the subscription alone
// guards (an end, a gift notice: refused once done). Under the item's id, a rival run deciding the same item
// at once appends the same event ids after the same revision, which the store answers as a retry of the
// first run's append: both runs would report the item, once each. Under ids of its own, the later append
// finds the stream moved on, reads the item done (subscription.ErrNotDue) and moves on without reporting
// it. A rerun after a lost answer needs no shared id either: it reads the item done from the log.
func ownWrite(env Envelope) Envelope { return env.derived("run-" + uuid.NewString()) }

// at is c with its clock, and its invoices' and intents' clocks, stopped at the item's due instant.
func (c Subscriptions) at(t time.Time) Subscriptions {
	fixed := func() time.Time { return t }
	c.Now, c.Invoices.Now, c.Invoices.Intents.Now = fixed, fixed, fixed
	return c
}

// subscriptionAfter is where a billing item's last command left the subscription.
type subscriptionAfter = handled[subscription.State]

// act does one due item of s, the subscription as it stands at revision; ahead says s is the run's
// read-ahead, not the log's (only readAheadDecides' items get one).
func (c Subscriptions) act(ctx context.Context, env Envelope, s subscription.State, revision uint64,
	due subscription.Due, ahead bool) (BillingAction, subscriptionAfter, error) {
	action := BillingAction{SubscriptionID: s.ID, Kind: due.Kind, At: due.At}
	switch due.Kind {
	case subscription.DueRenew:
		return c.renew(ctx, env, s, revision, action, ahead)
	case subscription.DueCharge:
		return c.charge(ctx, env, s, action)
	case subscription.DueEnd:
		var after subscriptionAfter
		var err error
		if s.CancellingNow() { // the customer's immediate cancellation, cut before its refund: finish it
			after, err = c.finishCancellingNow(ctx, env.derived("cancel-now"), s.ID)
		} else {
			after, err = c.handleState(ctx, ownWrite(env), s.ID, subscription.End)
		}
		action.Outcome = string(subscription.StatusExpired)
		if !s.CancelAt.IsZero() {
			action.Outcome = string(subscription.StatusCanceled)
		}
		return action, after, err
	case subscription.DueGiftNotice:
		after, err := c.handleState(ctx, ownWrite(env), s.ID, subscription.NotifyGift)
		action.Outcome = "gift_notified"
		return action, after, err
	case subscription.DuePaymentExpiry:
		return c.expirePayment(ctx, env, s, action)
	case subscription.DueInvoiceOverdue:
		return c.invoiceOverdue(ctx, env, s, action)
	case subscription.DueOverdueEnd:
		return c.endOverdue(ctx, env, s, action)
	}
	return action, subscriptionAfter{}, errors.New("unknown due kind")
}
