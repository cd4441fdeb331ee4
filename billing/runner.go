// Package billing is the billing clock's process manager: it claims the subscriptions due by an instant
// from the billing_deadlines read model (projections/deadline) and has the commands do each one's due items
// (commands.Subscriptions.BillDue), until nothing is due by that instant. `pelcro billing run --until T` runs
// it once; `pelcro serve` runs it on the wall clock (Every).
//
// Exactly once: the claim leases a row to one runner (several `serve` processes share the work), renewed
// while the run works, and the commands beneath are idempotent per (subscription, kind, due instant) and
// safe when two runners act on one subscription at once, so a crash anywhere, a rerun and a lease that ran
// out never charge an invoice twice.
package billing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/projections/deadline"
)

// Biller does a subscription's due items up to an instant (commands.Subscriptions).
type Biller interface {
	BillDue(ctx context.Context, id int64, until time.Time, report func(commands.BillingAction)) (eventstore.Position, error)
	// ReadDue reads ahead, in a few round trips, what BillDue of each of ids will read, and returns ctx
	// carrying it for those calls (and for the next ReadDue of the run). With no ids it reads nothing and
	// returns the ctx the run's reads ahead then share.
	ReadDue(ctx context.Context, ids []int64) context.Context
	// RenewAhead renews, in one append, the automatic renewals due by until among ids that ReadDue read
	// ahead (reporting each), and returns ctx handing BillDue what they left.
	RenewAhead(ctx context.Context, ids []int64, until time.Time, report func(commands.BillingAction)) context.Context
}

// Defaults of a Runner.
const (
	// DefaultWorkers is how many subscriptions a Runner bills at once unless told otherwise: serve's
	// wall-clock billing, which shares its connection pools with the HTTP requests it answers.
	DefaultWorkers   = 8
	DefaultBatchSize = 256
)

// RunWorkers is `pelcro billing run`'s default Workers. A renewal spends most of its time waiting: on the
// gateway, and on the appends' and the sandbox's group commits, which a worker joins and which commit only
// as often as the ones before them finish. More renewals in flight make those groups larger, so each
// renewal costs less CPU and the run goes faster: bench/billing over 100,000 renewals on 2 cores did 1,617–
// 1,673 renewals/s with 16 workers, 2,096 with 32, 2,700 with 64 and 2,765 with 128 (docs/benchmarks.md).
// A real gateway answers in hundreds of milliseconds, so there too the run's pace is about how many
// charges are in flight. Warning: the workers take connections from pools of 32 (pg.PoolSizeParam) and
// Stripe limits how many requests an account sends a second (a refused request is retried by the next run).
const RunWorkers = 64

// ProjectionLinger is the projections.Config.LiveLinger of a process that runs the billing clock alone
// (`pelcro billing run`): its deadline projection follows the run's appends in pages of about this many
// milliseconds' worth instead of one page, fence query and batch per couple of appends; the run's final
// WaitFor ends the linger (projections.Urgency). `pelcro serve` lingers less (serveProjectionLinger in
// cmd/pelcro): its read models serve reads as well.
const ProjectionLinger = 10 * time.Millisecond

// Runner runs the billing clock. Biller, Claims and WaitFor are required.
type Runner struct {
	Biller Biller
	Claims deadline.Claims
	// WaitFor returns once the deadline projection reflects pos (read-your-writes on billing_deadlines).
	WaitFor func(ctx context.Context, pos eventstore.Position) error
	// Workers is how many subscriptions are billed at once; BatchSize how many rows one claim takes.
	Workers   int
	BatchSize int
	// Report receives every item done, one call at a time (nil: none).
	Report func(commands.BillingAction)
	// LeaseError receives a failed renewal of the run's leases (nil: none); the next renewal tries again.
	LeaseError func(error)
}

// Summary is what a run did.
type Summary struct {
	// Subscriptions is how many subscriptions the run claimed; Actions how many items it did; Outcomes
	// counts them by outcome.
	Subscriptions int
	Actions       int
	Outcomes      map[string]int
	// Failed are the subscriptions whose billing failed with their errors: their items stay due.
	Failed map[int64]error
}

// Run does every item due by until, then waits for the deadline projection to reflect what it wrote, so a
// run that follows at once finds nothing left, and releases its leases. A run that fails half-way keeps the
// leases of the rows it finished until they end (Claims.Lease). It returns an error when a subscription's
// billing failed (the others are done regardless) or when the deadline table cannot be read.
func (r Runner) Run(ctx context.Context, until time.Time) (Summary, error) {
	x := &run{Runner: r, until: until, sum: Summary{Outcomes: map[string]int{}, Failed: map[int64]error{}}}
	stop := r.Claims.Keep(ctx, r.LeaseError)
	defer stop()
	err := pipeline{workers: r.workers(), claim: x.claim, readAhead: x.readAhead,
		bill: func(row aheadRow) { x.bill(ctx, row) }}.run(ctx)
	// every row is billed now: what failed since the last claim is given back too
	if err := x.releaseFailed(ctx); err != nil {
		return x.sum, cutOff(ctx, err)
	}
	if err != nil {
		return x.sum, cutOff(ctx, err)
	}
	if ctx.Err() != nil {
		return x.sum, ctx.Err()
	}
	if x.last != (eventstore.Position{}) {
		if err := r.WaitFor(ctx, x.last); err != nil {
			return x.sum, err
		}
	}
	if err := r.Claims.ReleaseAll(ctx); err != nil {
		return x.sum, err
	}
	return x.sum, x.sum.err()
}

// cutOff is err, marked with the context's error when the context ended: a statement the end cut short
// surfaces as PostgreSQL's "canceling statement due to user request" (lib/pq answers it so when the server's
// answer wins the race with the context's check), and the caller tells a run cut off from a failed one by
// errors.Is(err, context.Canceled).
func cutOff(ctx context.Context, err error) error {
	if ctx.Err() == nil || errors.Is(err, ctx.Err()) {
		return err
	}
	return fmt.Errorf("%w: %w", ctx.Err(), err)
}

func (r Runner) batchSize() int {
	if r.BatchSize <= 0 {
		return DefaultBatchSize
	}
	return r.BatchSize
}

func (r Runner) workers() int {
	if r.Workers <= 0 {
		return DefaultWorkers
	}
	return r.Workers
}

// err is the run's failure: how many subscriptions failed, and one of their errors.
func (s Summary) err() error {
	for id, err := range s.Failed {
		return fmt.Errorf("billing: %d subscription(s) could not be billed (subscription %d: %w)", len(s.Failed), id, err)
	}
	return nil
}

// Every runs the clock on the wall clock until ctx ends: a run until now, then one every period. A failed
// run is reported to onError and the next tick tries again.
func (r Runner) Every(ctx context.Context, period time.Duration, now func() time.Time, onError func(error)) {
	every(ctx, period, func() error { _, err := r.Run(ctx, now()); return err }, onError)
}

// every calls run at once, then every period until ctx ends, reporting its failures (but a cancellation)
// to onError.
func every(ctx context.Context, period time.Duration, run func() error, onError func(error)) {
	ticker := time.NewTicker(period)
	defer ticker.Stop()
	for {
		if err := run(); err != nil && !errors.Is(err, context.Canceled) && onError != nil {
			onError(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}
