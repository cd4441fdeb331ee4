package commands_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/billing"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// firstRowHeld is a Biller that holds the run's first BillDue until a second chunk was renewed ahead (or
// gives up after a while and says so), then lets meanwhile act (a crash, a rival run) before billing it.
type firstRowHeld struct {
	billing.Biller
	t         *testing.T
	meanwhile func()
	mu        sync.Mutex
	chunks    int
	second    chan struct{}
	held      atomic.Bool
}

func holdFirstRow(t *testing.T, b billing.Biller, meanwhile func()) *firstRowHeld {
	return &firstRowHeld{Biller: b, t: t, meanwhile: meanwhile, second: make(chan struct{})}
}

func (h *firstRowHeld) RenewAhead(ctx context.Context, ids []int64, until time.Time, report func(commands.BillingAction)) context.Context {
	ctx = h.Biller.RenewAhead(ctx, ids, until, report)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.chunks++; h.chunks == 2 {
		close(h.second)
	}
	return ctx
}

func (h *firstRowHeld) BillDue(ctx context.Context, id int64, until time.Time, report func(commands.BillingAction)) (eventstore.Position, error) {
	if h.held.CompareAndSwap(false, true) {
		select {
		case <-h.second:
		case <-time.After(10 * time.Second):
			h.t.Error("the next chunk was not read ahead while the first row was billed")
		}
		h.meanwhile()
	}
	return h.Biller.BillDue(ctx, id, until, report)
}

// chunkOfOne is runner claiming one row at a time with one worker: every row is a claim and a chunk of its own.
func chunkOfOne(r billing.Runner) billing.Runner {
	r.BatchSize, r.Workers = 1, 1
	return r
}

// pastTheLeases is a clock after every lease taken now ran out (deadline.Claims' default lease is a minute).
func pastTheLeases() time.Time { return time.Now().Add(2 * time.Minute) }

func TestARunReadsTheNextChunkAheadWhileTheRowsBeforeItAreBilled(t *testing.T) {
	t.Parallel()
	// Given three subscriptions due for renewal and a run that claims and reads ahead one row at a time
	w := newBillingWorld(t)
	ids := w.threeDueRenewals(t)
	c := startClock(t, w)
	runner := chunkOfOne(c.billingRunner("runner-0"))
	runner.Biller = holdFirstRow(t, w.subscriptions, func() {})
	// When it runs, its first row's billing waiting for the next row to be claimed and renewed ahead
	sum, err := runner.Run(t.Context(), firstRenewal)
	// Then the next row was (firstRowHeld says otherwise), and every renewal was done and charged once
	if err != nil {
		t.Fatal(err)
	}
	if twice := c.doneTwice(); len(twice) > 0 {
		t.Errorf("done twice: %v", twice)
	}
	if sum.Outcomes["renewed"] != len(ids) || sum.Outcomes["paid"] != len(ids) || w.charges(t) != len(ids) {
		t.Errorf("outcomes %v and %d charges; want %d renewed, paid and charged", sum.Outcomes, w.charges(t), len(ids))
	}
}

func TestARunCutOffWhileItsNextChunkIsReadAheadLeavesTheNextRunToChargeEachOnce(t *testing.T) {
	t.Parallel()
	// Given three subscriptions due for renewal and a run whose process dies once its second row was claimed
	// and renewed ahead, while its first row is being billed
	w := newBillingWorld(t)
	ids := w.threeDueRenewals(t)
	c := startClock(t, w)
	ctx, crash := context.WithCancel(t.Context())
	dying := chunkOfOne(c.billingRunner("runner-0"))
	dying.Biller = holdFirstRow(t, w.subscriptions, crash)
	if _, err := dying.Run(ctx, firstRenewal); !errors.Is(err, context.Canceled) {
		t.Fatalf("the cut-off run returned %v; want it cancelled", err)
	}
	// When the next run, in a process of its own, bills once the dead run's leases ran out
	next := c.billingRunner("runner-1")
	next.Biller, next.Claims.Now = w.restarted(t).subscriptions, pastTheLeases
	sum, err := next.Run(t.Context(), firstRenewal)
	if err != nil {
		t.Fatal(err)
	}
	// Then each subscription was renewed (ahead by the dead run, whose report a cut-off append may have lost,
	// or by the next) and charged once
	if twice := c.doneTwice(); len(twice) > 0 {
		t.Errorf("done twice: %v", twice)
	}
	if sum.Outcomes["paid"] != len(ids) || w.charges(t) != len(ids) {
		t.Errorf("the next run's outcomes %v and %d charges; want %d paid and charged", sum.Outcomes, w.charges(t), len(ids))
	}
	renewedOnce(t, w, ids)
}

// renewedOnce fails the test unless each subscription is active and settled in its second cycle, from the
// first renewal: renewed and paid, once.
func renewedOnce(t *testing.T, w *billingWorld, ids []int64) {
	t.Helper()
	for _, id := range ids {
		s := w.read(t, id)
		if s.Status != subscription.StatusActive || s.Cycle != 2 || !s.PeriodStart.Equal(firstRenewal) || s.Unsettled != 0 {
			t.Errorf("subscription %d: %s, cycle %d from %s, unsettled %d; want active, cycle 2 from %s, settled", id,
				s.Status, s.Cycle, s.PeriodStart, s.Unsettled, firstRenewal)
		}
	}
}

func TestARunWhoseLeasesRanOutWhileItsNextChunkWasReadAheadChargesNothingTwice(t *testing.T) {
	t.Parallel()
	// Given three subscriptions due for renewal and a run paused, its second row claimed and renewed ahead,
	// for longer than its leases, while a rival run takes its rows over and bills them all
	w := newBillingWorld(t)
	ids := w.threeDueRenewals(t)
	c := startClock(t, w)
	rival := c.billingRunner("runner-1")
	rival.Claims.Now = pastTheLeases
	var rivalErr error
	paused := chunkOfOne(c.billingRunner("runner-0"))
	paused.Biller = holdFirstRow(t, w.subscriptions, func() { _, rivalErr = rival.Run(t.Context(), firstRenewal) })
	// When the paused run goes on
	_, err := paused.Run(t.Context(), firstRenewal)
	// Then both runs finish, and each subscription was charged once
	if err != nil || rivalErr != nil {
		t.Fatalf("the paused run returned %v, the rival %v", err, rivalErr)
	}
	if got := w.charges(t); got != len(ids) {
		t.Errorf("%d charges; want %d", got, len(ids))
	}
	renewedOnce(t, w, ids)
}

// failsFirst is a Biller whose first BillDue fails at once (a gateway that timed out) while every other
// subscription's billing waits for that failure: the run's workers, readers and claimer hold five rows
// between them, so with one row a claim a sixth claim is made only once the failure is in.
type failsFirst struct {
	billing.Biller
	t      *testing.T
	failed chan struct{}
	mu     sync.Mutex
	first  int64         // the subscription whose billing failed, 0 before
	calls  map[int64]int // BillDue calls by subscription
}

func failingFirst(t *testing.T, b billing.Biller) *failsFirst {
	return &failsFirst{Biller: b, t: t, failed: make(chan struct{}), calls: map[int64]int{}}
}

func (f *failsFirst) BillDue(ctx context.Context, id int64, until time.Time, report func(commands.BillingAction)) (eventstore.Position, error) {
	f.mu.Lock()
	f.calls[id]++
	fail := f.first == 0
	if fail {
		f.first = id
	}
	again := id == f.first && !fail
	f.mu.Unlock()
	switch {
	case fail:
		close(f.failed)
		return eventstore.Position{}, errors.New("the gateway timed out")
	case !again:
		select {
		case <-f.failed:
		case <-time.After(10 * time.Second):
			f.t.Error("no billing failed first")
		}
	}
	return f.Biller.BillDue(ctx, id, until, report)
}

func TestARowThatFailsWhileTheRunClaimsOnIsTriedOnceAndLeftToTheNextRun(t *testing.T) {
	t.Parallel()
	// Given five subscriptions due for renewal, claimed one at a time and billed by two workers, and the
	// first billing failing while the others wait
	w := newBillingWorld(t)
	ann := w.register(t, "ann@example.com", "ann")
	card := w.saveCard(t, ann, "tok_visa")
	ids := make([]int64, 5)
	for i := range ids {
		ids[i] = w.subscribe(t, ann, card, monthlyTerms, billingStart)
	}
	c := startClock(t, w)
	runner := c.billingRunner("runner-0")
	runner.BatchSize, runner.Workers = 1, 2
	biller := failingFirst(t, w.subscriptions)
	runner.Biller = biller
	// When the run ends
	sum, err := runner.Run(t.Context(), firstRenewal)
	// Then it reports that subscription failed, billed it once (the claims made after the failure skip it),
	// and charged the four others
	if _, failed := sum.Failed[biller.first]; err == nil || !failed || len(sum.Failed) != 1 {
		t.Fatalf("run returned %v with failed %v; want subscription %d alone failed", err, sum.Failed, biller.first)
	}
	if biller.calls[biller.first] != 1 || w.charges(t) != len(ids)-1 {
		t.Fatalf("the failed subscription billed %d times, %d charges; want once, and %d", biller.calls[biller.first],
			w.charges(t), len(ids)-1)
	}
	// And its lease was given back: a run right after, before any lease ends, charges it
	next := c.billingRunner("runner-1")
	if sum, err := next.Run(t.Context(), firstRenewal); err != nil || sum.Outcomes["paid"] != 1 {
		t.Fatalf("the next run returned %v with outcomes %v; want the failed subscription paid", err, sum.Outcomes)
	}
	if twice := c.doneTwice(); len(twice) > 0 || w.charges(t) != len(ids) {
		t.Errorf("done twice %v, %d charges; want none twice, %d charges", twice, w.charges(t), len(ids))
	}
}
