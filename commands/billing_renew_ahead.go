package commands

import (
	"context"
	"sync"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// RenewAhead renews, for the billing run, the subscriptions among ids that ReadDue read ahead and that are
// due, by until, for an automatic renewal (the one item the read-ahead decides, readAheadDecides): each
// decided exactly as BillDue's renewAndOpen decides it (the period started, pinned to the revision read; its
// invoice opened with the first attempt, on a new stream), and all of them written in ONE
// eventstore.AppendMulti instead of one append each. That append is all or nothing; each renewal done is
// reported at once, and the returned ctx hands BillDue the state it left, so BillDue goes on to the charge
// without reading the subscription again, as it does after a renewal of its own.
//
// Why it is safe: nothing is charged here, only the attempt recorded, before the gateway is asked, as
// renewAndOpen does. A renewal that cannot be prepared, and every renewal when the append fails, are left
// to BillDue, which decides them as it would have without this (a subscription that moved on is refused by
// the pinned revision and decided on the log; the ids allocated here are then unused). A crash after the
// append leaves each charge due with its attempt pending: the next run repeats it under its gateway key, as
// after a crash between renewAndOpen and chargeOpened. BillDue takes the state handed over only while it is
// within billingReadsFreshFor of the append (takeRenewedAhead), the bound the read-ahead already has; past
// it BillDue reads the log. On a store that appends stream by stream (eventstore.AppendMulti without the
// capability: EventStoreDB), a failure part-way leaves the renewals before it written and unreported, as a
// failed renewAndOpen does there today: BillDue finds their charges due and reports those. The same holds
// when the append landed but its answer was lost: every charge is still made once, but the run's summary
// counts fewer renewals than it made.
//
// What the customer sees: from the append to its charge a renewal is in flight (its attempt pending), and the
// subscription refuses a cancellation or a plan change meanwhile (subscription.ErrPaymentPending), so no
// charge lands on a subscription ended or set to end since. With a real gateway that lasts up to the billing
// time of the chunks a run reads ahead at once instead of one charge's: keep billing.Runner's chunks
// (readAheadRows) small and few (readAheadDepth).
//
// What it costs: a renewal's first append is a statement and a commit whose fixed cost dwarfs its bytes
// (bench/appendgroup: 16 renewals per AppendMulti cost ~95 µs of CPU each instead of ~420 µs).
func (c Subscriptions) RenewAhead(ctx context.Context, ids []int64, until time.Time, report func(BillingAction)) context.Context {
	recent, ok := ctx.Value(recentReadsKey{}).(*recentReads)
	if !ok {
		return ctx // nothing read ahead: BillDue decides every item on the log
	}
	ahead, ok := ctx.Value(renewedAheadKey{}).(*renewedAhead)
	if !ok {
		ahead = &renewedAhead{byID: map[int64]renewalAhead{}}
		ctx = context.WithValue(ctx, renewedAheadKey{}, ahead)
	}
	var renewals []renewalAhead
	var appends []eventstore.StreamAppend
	for _, id := range ids {
		r, parts, ok := c.prepareRenewalAhead(ctx, recent, id, until)
		if ok {
			renewals, appends = append(renewals, r), append(appends, parts...)
		}
	}
	if len(renewals) == 0 {
		return ctx
	}
	results, err := eventstore.AppendMulti(ctx, c.Store, appends)
	if err != nil {
		return ctx // nothing written on a store that appends several streams at once: BillDue decides each
	}
	at := recent.now()
	for i, r := range renewals {
		r.renewal.appended(c.Store, results[2*i])
		r.opened.appended(c.Store, results[2*i+1])
		r.at = at
		ahead.put(r)
		if report != nil {
			report(r.action)
		}
	}
	return ctx
}

// prepareRenewalAhead decides subscription id's automatic renewal on its read-ahead, as BillDue's step
// would (its envelope, price, invoice id and sides), and returns the renewal and its two appends. ok is
// false when it is not such a renewal, not read within readAheadAge, not due by until, or cannot be prepared.
func (c Subscriptions) prepareRenewalAhead(ctx context.Context, recent *recentReads, id int64, until time.Time) (
	r renewalAhead, appends []eventstore.StreamAppend, ok bool) {
	h, ok := recentFold[subscription.State](c.Store, recent, subscriptionStream(id), readAheadAge)
	if !ok {
		return r, nil, false
	}
	s, revision := h.state, h.last.Revision
	due, ok := s.Due()
	if !ok || due.At.After(until) || !readAheadDecides(s, due) {
		return r, nil, false
	}
	step := c.at(due.At)
	phase, _ := s.Upcoming()
	env, next, err := step.chargedPeriod(ctx, billingEnvelope(id, s, due), s, phase)
	if err != nil {
		return r, nil, false
	}
	renewal, opened, ok := step.renewalSides(ctx, env, s, revision, startNextPeriod(next))
	if !ok {
		return r, nil, false
	}
	for _, side := range []side{renewal, opened} {
		a, err := side.prepare(ctx, c.Store, false)
		if err != nil || a == nil {
			return r, nil, false
		}
		appends = append(appends, *a)
	}
	return renewalAhead{id: id, due: due, renewal: renewal, opened: opened, action: BillingAction{SubscriptionID: id,
		Kind: due.Kind, At: due.At, InvoiceID: next.InvoiceID, Outcome: "renewed"}}, appends, true
}

// renewalAhead is one renewal RenewAhead wrote, for BillDue to go on from.
type renewalAhead struct {
	id      int64
	due     subscription.Due
	action  BillingAction
	renewal *streamSide[subscription.State, subscription.Event]
	opened  side
	// at is when the append landed, on recentReads' clock.
	at time.Time
}

// renewedAhead are the renewals RenewAhead wrote that BillDue has not taken yet. Safe for concurrent use.
type renewedAhead struct {
	mu   sync.Mutex
	byID map[int64]renewalAhead
}

type renewedAheadKey struct{}

func (a *renewedAhead) put(r renewalAhead) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.byID[r.id] = r
}

// takeRenewedAhead returns, once, the renewal RenewAhead wrote for subscription id, when ctx carries one
// that is at most billingReadsFreshFor old.
func takeRenewedAhead(ctx context.Context, id int64) (renewalAhead, bool) {
	a, ok := ctx.Value(renewedAheadKey{}).(*renewedAhead)
	recent, fresh := ctx.Value(recentReadsKey{}).(*recentReads)
	if !ok || !fresh {
		return renewalAhead{}, false
	}
	a.mu.Lock()
	r, ok := a.byID[id]
	delete(a.byID, id)
	a.mu.Unlock()
	if !ok || recent.now().Sub(r.at) > billingReadsFreshFor {
		return renewalAhead{}, false
	}
	return r, true
}
