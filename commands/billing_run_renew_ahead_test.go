package commands_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/billing"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// renewAheadRecorder is a Biller that notes what the run asks RenewAhead for before passing it on.
type renewAheadRecorder struct {
	billing.Biller
	mu    sync.Mutex
	ids   []int64
	until []time.Time
}

func (r *renewAheadRecorder) RenewAhead(ctx context.Context, ids []int64, until time.Time, report func(commands.BillingAction)) context.Context {
	r.mu.Lock()
	r.ids, r.until = append(r.ids, ids...), append(r.until, until)
	r.mu.Unlock()
	return r.Biller.RenewAhead(ctx, ids, until, report)
}

func TestARunRenewsItsClaimedChunksAheadUpToItsInstant(t *testing.T) {
	t.Parallel()
	// Given three subscriptions due for renewal and the billing clock's projections caught up
	w := newBillingWorld(t)
	ids := w.threeDueRenewals(t)
	c := startClock(t, w)
	// When a run bills up to the first renewal
	recorder := &renewAheadRecorder{Biller: w.subscriptions}
	runner := c.billingRunner("runner-0")
	runner.Biller = recorder
	sum, err := runner.Run(t.Context(), firstRenewal)
	if err != nil {
		t.Fatal(err)
	}
	// Then it asked RenewAhead for every claimed subscription, up to the run's instant, and each renewal was
	// done once and charged once
	if len(recorder.ids) != len(ids) {
		t.Errorf("RenewAhead was asked for %v; want the %d claimed subscriptions", recorder.ids, len(ids))
	}
	for _, until := range recorder.until {
		if !until.Equal(firstRenewal) {
			t.Errorf("RenewAhead until %s; want the run's %s", until, firstRenewal)
		}
	}
	if twice := c.doneTwice(); len(twice) > 0 {
		t.Errorf("done twice: %v", twice)
	}
	if sum.Outcomes["renewed"] != len(ids) || w.charges(t) != len(ids) {
		t.Errorf("outcomes %v and %d charges; want %d renewed and charged", sum.Outcomes, w.charges(t), len(ids))
	}
}
