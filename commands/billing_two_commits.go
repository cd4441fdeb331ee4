package commands

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// A renewal charged automatically takes two commits (on a store that appends several streams at once,
// eventstore.MultiAppender): renewAndOpen records the period started with its invoice opened and first
// attempt, then chargeOpened charges that attempt and records the invoice paid with the subscription paid.
// A crash between the two leaves the charge due with the attempt pending: the next run's charge reads the
// invoice (settleInvoice's other path) and repeats the attempt under its own gateway key, so the customer
// is charged once. Any step that cannot be prepared falls back to the separate commands.
//
// On PostgreSQL the second commit is shared with the other workers' that record at the same moment
// (eventstore/postgres appendGroup). A crash keeps or loses a shared commit whole, which for each renewal
// in it is its own commit landed or not: the guarantee above holds unchanged, and a renewal whose part of
// a shared statement could not land is answered as if it had appended alone.

// renewAndOpen starts the next period of a subscription charged automatically (decide) and opens its
// invoice with the first attempt to charge the card it charges (invoicePayment), in one two-stream append. ok is false, and
// nothing is written, when the invoice cannot be prepared now (no card, a period that cannot be priced, a
// card or customer that cannot be read): the caller then renews alone and the charge opens the invoice.
//
// The invoice's id was allocated for this renewal (IDs.Next), so its stream is decided as new without
// being read: the append expects no stream, and a stream that exists after all sends the decision back to
// the log (handleSides). The invoice (its price, its card) is built from s, the subscription at revision,
// renewed; the renewal side is therefore pinned to that revision. A subscription that moved on since s was
// read (a rival change: another phase, a new card) would renew on a state the invoice does not describe:
// the side refuses (errSnapshotMoved), nothing is written, and ok is false, so the caller renews alone and
// the charge builds the invoice from the subscription as that renewal left it.
func (c Subscriptions) renewAndOpen(ctx context.Context, env Envelope, s subscription.State, revision uint64,
	decide func(subscription.State, time.Time) ([]subscription.Event, error)) (subscriptionAfter, bool, error) {
	renewal, opened, ok := c.renewalSides(ctx, env, s, revision, decide)
	if !ok {
		return subscriptionAfter{}, false, nil
	}
	err := handleSides(ctx, c.Store, renewal, opened)
	if errors.Is(err, errSnapshotMoved) {
		return subscriptionAfter{}, false, nil
	}
	return renewal.done, true, err
}

// renewalSides are renewAndOpen's two sides, decided but not appended: the renewal pinned to revision and
// the new invoice opened with its first attempt. ok is false when the invoice cannot be prepared now.
func (c Subscriptions) renewalSides(ctx context.Context, env Envelope, s subscription.State, revision uint64,
	decide func(subscription.State, time.Time) ([]subscription.Event, error)) (
	renewal *streamSide[subscription.State, subscription.Event], opened *streamSide[invoice.State, invoice.Event], ok bool) {
	at := c.now()
	events, err := decide(s, at)
	if err != nil || len(events) == 0 {
		return nil, nil, false
	}
	renewed := subscription.EvolveAll(s, events)
	if !renewed.Charging || renewed.Payment.SourceID == 0 {
		return nil, nil, false
	}
	in := c.invoicePayment(renewed)
	opening, err := c.periodInvoice(ctx, renewed)
	var means invoice.Means
	if err == nil {
		means, err = c.Invoices.means(ctx, in)
	}
	var create invoice.Create
	if err == nil {
		create, err = c.Invoices.creation(ctx, opening)
	}
	if err != nil {
		return nil, nil, false
	}
	create.InvoiceID = in.InvoiceID
	pay := invoice.Pay{CustomerID: in.CustomerID, AccountID: in.AccountID, Means: means}
	renewal = newSide(SubscriptionAggregate, strconv.FormatInt(s.ID, 10), env,
		func(s subscription.State) ([]subscription.Event, error) { return decide(s, at) })
	renewal.pinned = &revision
	opened = newSide(InvoiceAggregate, strconv.FormatInt(in.InvoiceID, 10), env.derived("open-and-attempt"),
		func(s invoice.State) ([]invoice.Event, error) { return openThenAttempt(s, &create, pay, at) })
	opened.loaded = &history[invoice.State]{unread: true}
	return renewal, opened, true
}

// chargeOpened charges the pending attempt of invoice bill (as renewAndOpen left it) and, when the charge
// takes the money, records the invoice paid and the subscription paid in one two-stream append: paid is
// then where that left the subscription. Otherwise paid is nil and reason says why the invoice is not paid
// (a decline, 3-D Secure), or err that nobody knows yet (the attempt stays pending for the next run).
func (c Subscriptions) chargeOpened(ctx context.Context, env Envelope, s subscription.State,
	bill invoice.State) (reason string, paid *subscriptionAfter, err error) {
	at := c.now()
	recorded := newSide(SubscriptionAggregate, strconv.FormatInt(s.ID, 10), env.derived("paid"),
		func(s subscription.State) ([]subscription.Event, error) {
			return subscription.RecordPayment(s, bill.ID, bill.Total, at)
		})
	result, err := c.Invoices.settle(ctx, env.derived("pay"), bill, recorded)
	if reason, err = paymentReason(result, err); reason != "" || err != nil {
		return reason, nil, err
	}
	return "", &recorded.done, nil
}

// pendingCharge is invoice id as this process last wrote or read it (the state cache, not the log), when
// it waits on a pending attempt of the customer's with card sourceID: what chargeOpened settles.
//
// Deciding on the cache is safe here because repeating a pending attempt needs nothing else fresh: its
// gateway key makes the gateway answer its first outcome, and the outcome's append expects the cached
// revision, so a log that moved on (another runner settled it) sends the decision back to the log.
//
// Warning: the card is NOT checked here. It was usable when the attempt was recorded, but it may have been
// removed or become unchargeable since; the caller must check it (Invoices.means, as settleInvoice and Pay
// do) before charging, or a card the customer removed is charged.
func (c Invoices) pendingCharge(id, customerID, sourceID int64) (invoice.State, bool) {
	h := fromCache[invoice.State](c.Store, invoiceStream(id), "")
	if h == nil || h.state.Pending == nil || h.state.CustomerID != customerID ||
		h.state.Pending.Means.SourceID != sourceID {
		return invoice.State{}, false
	}
	return h.state, true
}
