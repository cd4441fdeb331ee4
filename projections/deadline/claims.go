package deadline

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// Due is a claimed row: a subscription and the item it waited for when the projection last saw it. The
// claimer loads the subscription and asks it again (the row may be a moment behind the log).
type Due struct {
	SubscriptionID int64                `db:"subscription_id"`
	Kind           subscription.DueKind `db:"kind"`
	At             time.Time            `db:"due_at"`
}

// Claims leases due rows of billing_deadlines to one billing runner (Owner) at a time.
//
// A claim is one short transaction: it picks unleased rows due by an instant, oldest first, skipping the
// rows another runner's claim transaction holds (FOR UPDATE SKIP LOCKED), and writes its lease on them. Two
// runners therefore never hold the same row; a runner that dies keeps its rows until the lease ends, then
// another takes them over. A live runner renews its leases while it works (Keep). Correctness does not rest
// on the lease: the commands are idempotent, re-check what is due and stay safe when two runners act on one
// subscription at once (a lease that ran out all the same); the lease spares that double work.
type Claims struct {
	DB    *sqlx.DB
	Owner string
	// Lease is how long a claim keeps its rows from other runners (default one minute), renewed while the
	// runner works (Keep). A row the runner finished stays leased until the run ends (ReleaseAll), so it is not
	// claimed again while the projection catches up with what the runner wrote; a runner that dies keeps
	// its rows until the lease ends.
	Lease time.Duration
	// Now is the wall clock the leases are measured on; nil means time.Now.
	Now func() time.Time
}

// Claim leases up to limit rows due by until, not leased by anyone, except the subscriptions of skip.
func (c Claims) Claim(ctx context.Context, until time.Time, limit int, skip []int64) ([]Due, error) {
	now := c.now()
	if skip == nil {
		skip = []int64{} // a NULL array would match no row at all
	}
	var due []Due
	err := sqlx.SelectContext(ctx, c.DB, &due, `UPDATE billing_deadlines d SET lease_owner = $1, lease_until = $2
		FROM (SELECT subscription_id FROM billing_deadlines
			WHERE due_at <= $3 AND (lease_until IS NULL OR lease_until <= $4)
				AND NOT (subscription_id = ANY($6))
			ORDER BY due_at LIMIT $5 FOR UPDATE SKIP LOCKED) claimed
		WHERE d.subscription_id = claimed.subscription_id
		RETURNING d.subscription_id, d.kind, d.due_at`,
		c.Owner, now.Add(c.lease()), until, now, limit, pq.Array(skip))
	if err != nil {
		return nil, fmt.Errorf("claim due billing work: %w", err)
	}
	return due, nil
}

// Release gives up this runner's lease on the subscription's row (work that failed and may be retried).
func (c Claims) Release(ctx context.Context, subscriptionID int64) error {
	err := c.exec(ctx, `UPDATE billing_deadlines SET lease_owner = NULL, lease_until = NULL
		WHERE subscription_id = $1 AND lease_owner = $2`, subscriptionID, c.Owner)
	if err != nil {
		return fmt.Errorf("release the billing lease of subscription %d: %w", subscriptionID, err)
	}
	return nil
}

// ReleaseAll gives up every lease of this runner: at the end of a run, once the projection reflects what
// the run wrote, so the rows it finished show their next due instant and the next run may claim them.
func (c Claims) ReleaseAll(ctx context.Context) error {
	err := c.exec(ctx, `UPDATE billing_deadlines SET lease_owner = NULL, lease_until = NULL
		WHERE lease_owner = $1`, c.Owner)
	if err != nil {
		return fmt.Errorf("release the billing leases of %s: %w", c.Owner, err)
	}
	return nil
}

// Renew extends the leases this runner holds to Lease from now: a run renews them while it works (Keep), so
// a batch slower than one lease keeps its rows from the other runners. It skips a row the projection is
// writing at that moment (the next renewal takes it), so it never waits on, nor deadlocks with, the
// projection's transaction.
func (c Claims) Renew(ctx context.Context) error {
	_, err := c.DB.ExecContext(ctx, `UPDATE billing_deadlines d SET lease_until = $2
		FROM (SELECT subscription_id FROM billing_deadlines WHERE lease_owner = $1 FOR UPDATE SKIP LOCKED) held
		WHERE d.subscription_id = held.subscription_id`, c.Owner, c.now().Add(c.lease()))
	if err != nil {
		return fmt.Errorf("renew the billing leases of %s: %w", c.Owner, err)
	}
	return nil
}

// Keep renews this runner's leases (Renew) every third of Lease until the returned stop is called, and
// reports a renewal that failed to onError (nil: ignored); the next one tries again. A lease that runs out
// all the same (a process paused longer than a lease) lets a second runner act on the same subscription: the
// commands are safe under that (commands.Subscriptions.BillDue), the lease only spares the double work.
func (c Claims) Keep(ctx context.Context, onError func(error)) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		ticker := time.NewTicker(c.lease() / 3)
		defer ticker.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
				if err := c.Renew(ctx); err != nil && ctx.Err() == nil && onError != nil {
					onError(err)
				}
			}
		}
	}()
	return func() { cancel(); <-done }
}

// deadlockAttempts bounds how often a release is run again after PostgreSQL chose it as a deadlock's
// victim: the projection's transaction writes the same rows in the log's order, a release in the table's.
const deadlockAttempts = 5

// exec runs a release, again when it was a deadlock's victim (the other transaction then went on).
func (c Claims) exec(ctx context.Context, query string, args ...any) error {
	for attempt := 1; ; attempt++ {
		_, err := c.DB.ExecContext(ctx, query, args...)
		pqErr, isPQ := errors.AsType[*pq.Error](err)
		if err == nil || !isPQ || pqErr.Code != deadlockDetected || attempt == deadlockAttempts {
			return err
		}
	}
}

// deadlockDetected is PostgreSQL's SQLSTATE deadlock_detected.
const deadlockDetected = "40P01"

func (c Claims) lease() time.Duration {
	if c.Lease <= 0 {
		return time.Minute
	}
	return c.Lease
}

func (c Claims) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}
