package billing

import (
	"context"
	"sync"
	"time"

	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/projections/deadline"
)

// run is one Runner.Run under way: what its pipeline's goroutines claim, read ahead and bill, and what they
// found, under mu.
type run struct {
	Runner
	until time.Time

	mu  sync.Mutex
	sum Summary
	// last is the log position of the last event a BillDue of the run wrote.
	last eventstore.Position
	// unreleased are the failed subscriptions whose leases are not given back yet (releaseFailed).
	unreleased []int64
}

// claim gives back the leases of the subscriptions that failed so far, so another run may try them at once,
// then claims the next batch without them.
//
// Warning: the release must stay here, before the claim, in the one goroutine that claims. A subscription
// that fails after the claim took its skip list is still leased to this run, so the claim cannot take it
// again; released anywhere else, a claim could take it back between its release and its skip list.
func (x *run) claim(ctx context.Context) ([]deadline.Due, error) {
	if err := x.releaseFailed(ctx); err != nil {
		return nil, err
	}
	x.mu.Lock()
	skip := make([]int64, 0, len(x.sum.Failed))
	for id := range x.sum.Failed {
		skip = append(skip, id)
	}
	x.mu.Unlock()
	claimed, err := x.Claims.Claim(ctx, x.until, x.batchSize(), skip)
	x.mu.Lock()
	x.sum.Subscriptions += len(claimed)
	x.mu.Unlock()
	return claimed, err
}

// readAhead is the run's read ahead of a chunk: ReadDue, then RenewAhead on what it read.
func (x *run) readAhead(ahead context.Context, ids []int64) context.Context {
	return x.Biller.RenewAhead(x.Biller.ReadDue(ahead, ids), ids, x.until, x.report)
}

// bill does a claimed row's due items and notes what it wrote or why it failed.
func (x *run) bill(ctx context.Context, row aheadRow) {
	pos, err := x.Biller.BillDue(row.ahead, row.due.SubscriptionID, x.until, x.report)
	if err == nil {
		err = ctx.Err()
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if pos.Compare(x.last) > 0 {
		x.last = pos
	}
	if err != nil {
		x.sum.Failed[row.due.SubscriptionID] = err
		x.unreleased = append(x.unreleased, row.due.SubscriptionID)
	}
}

// report counts an item done and passes it on to Report, one call at a time.
func (x *run) report(a commands.BillingAction) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.sum.Actions++
	x.sum.Outcomes[a.Outcome]++
	if x.Report != nil {
		x.Report(a)
	}
}

// releaseFailed gives back the leases of the subscriptions that failed since it last ran, even once ctx ended.
func (x *run) releaseFailed(ctx context.Context) error {
	x.mu.Lock()
	failed := x.unreleased
	x.unreleased = nil
	x.mu.Unlock()
	for _, id := range failed {
		if err := x.Claims.Release(context.WithoutCancel(ctx), id); err != nil {
			return err
		}
	}
	return nil
}
