package commands

import (
	"context"
	"errors"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// readAheadAge is how old a read ReadDue reuses at most: older ones are read again with the batch, so the
// rows read ahead find them fresh (billingReadsFreshFor) for at least as long again.
const readAheadAge = billingReadsFreshFor / 2

// readAheadDecides reports whether the billing run's read-ahead of subscription s (ReadDue: up to
// billingReadsFreshFor old) may decide its due item: only a renewal charged automatically, which
// renewAndOpen records in one append whose every write is guarded by the revision s was folded from (the
// subscription side pinned to it, the invoice side a new stream). Every other item writes before, or
// besides, any append that checks that revision (an invoice opened for a renewal paid by invoice, a charge
// of the card s names, an invoice given up on, a price), so it is decided on the log, read first (BillDue),
// and so is the renewal when renewAndOpen cannot record it (errReadAheadDeclined).
//
// This is the one place that decides it. Warning: letting another item through lets a rival change made
// since the read-ahead (other seats, a cancellation, a payment) be overwritten or charged on stale terms.
func readAheadDecides(s subscription.State, due subscription.Due) bool {
	if due.Kind != subscription.DueRenew || s.Billing == subscription.BillingSendInvoice {
		return false
	}
	phase, _ := s.Upcoming()
	return phase.PaidBy == 0 && !phase.Gift
}

// errReadAheadDeclined is renew's answer, on the read-ahead, when renewAndOpen wrote nothing (the
// subscription moved on, or the invoice cannot be prepared): BillDue decides the renewal again on the log.
var errReadAheadDeclined = errors.New("commands: the renewal cannot be recorded on the run's read-ahead")

// ReadDue reads ahead, for the billing run, what BillDue of each subscription in ids will check: the
// subscriptions' streams in one round trip, then their customers' and wallets' (each once) in another, on a
// store that reads several streams at once (eventstore.StreamsReader; otherwise one read per stream, as
// BillDue would have made). It returns ctx carrying the reads (recentReads, created on the first call and
// shared by the later ones on the returned ctx): BillDue under that ctx folds a stream read within
// billingReadsFreshFor from the state cache instead of reading it again, for its first read of the
// subscription and for the checks of its customer and card.
//
// Nothing is decided here. What the reads ahead loosen is bounded: a subscription's read-ahead decides only
// a renewal whose every write expects the revision folded (readAheadDecides; a subscription that moved on
// since is decided on the log), and a card removed, or a customer erased, in another process at T is not
// charged by a check that starts after T + billingReadsFreshFor (see there). A failed read is left to
// BillDue, which reads and reports it.
func (c Subscriptions) ReadDue(ctx context.Context, ids []int64) context.Context {
	ctx, recent := withRecentReads(ctx, billingReadsFreshFor)
	streams := make([]string, len(ids))
	for i, id := range ids {
		streams[i] = subscriptionStream(id)
	}
	began := recent.now()
	tails := withTailsRead(ctx, c.Store, recent.unread(c.Store, streams, readAheadAge)...)
	owners := map[int64]bool{}
	for _, s := range foldReadAhead(tails, c.Store, SubscriptionAggregate, recent, streams, began) {
		owners[s.CustomerID] = s.CustomerID != 0
	}
	var customers, wallets []string
	for id, ok := range owners {
		if ok {
			customers, wallets = append(customers, customerStream(id)), append(wallets, walletStream(id))
		}
	}
	// Two aggregates in one round trip: each load takes its own stream's tail.
	began = recent.now()
	tails = withTailsRead(ctx, c.Store, recent.unread(c.Store, append(customers, wallets...), readAheadAge)...)
	foldReadAhead(tails, c.Store, CustomerAggregate, recent, customers, began)
	foldReadAhead(tails, c.Store, WalletAggregate, recent, wallets, began)
	return ctx
}

// foldReadAhead folds each of streams into the state cache and returns the states: a stream read within
// readAheadAge from the cache, any other by load, which takes the tail tails carries (withTailsRead, begun at
// began) or reads it, and notes the read.
//
// Warning: tails must be a context of ReadDue's own, never one handed to a command (see withTailsRead).
func foldReadAhead[S, E any](tails context.Context, store eventstore.Store, agg Aggregate[S, E],
	recent *recentReads, streams []string, began time.Time) []S {
	folded := make([]S, 0, len(streams))
	for _, stream := range streams {
		if h, ok := recentFold[S](store, recent, stream, readAheadAge); ok {
			folded = append(folded, h.state)
			continue
		}
		h, err := load(tails, store, agg, stream, "")
		if err != nil || !h.exists {
			continue // BillDue reads it again, and reports what fails
		}
		recent.note(store, stream, h.last.Revision, began)
		folded = append(folded, h.state)
	}
	return folded
}
