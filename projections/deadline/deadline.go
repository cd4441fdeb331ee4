// Package deadline projects the subscription events into billing_deadlines (migration 00075): for every
// subscription, the one next item the billing clock must do for it and when (subscription.State.Due), so a
// billing run reads only the rows due by its instant instead of loading every subscription.
//
// A row holds what the next fold needs of the subscription's state (dueState: no prices, no personal data)
// and the revision of subscription-<id> it reflects: an event is folded only into an older row, so an event
// delivered twice changes nothing. The billing clock claims rows through Claims (claims.go), which writes
// only the lease columns; the projection never touches those.
package deadline

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// Name is the projection's name and checkpoint key; a billing run waits for it to reach the log's head before
// it claims anything. Warning: changing it replays the whole log into the same table (see
// projections.Projection.Name); bump it only together with a fresh table.
const Name = "billing_deadlines.v1"

// Projection keeps billing_deadlines, one row per subscription.
func Projection() projections.Projection {
	return projections.Projection{
		Name:   Name,
		Tables: []string{"billing_deadlines"},
		Handlers: []projections.Handler{
			projections.On(fold[subscription.Created]),
			projections.On(fold[subscription.PaymentSucceeded]),
			projections.On(fold[subscription.PaymentFailed]),
			projections.On(fold[subscription.PeriodStarted]),
			projections.On(fold[subscription.CancellationScheduled]),
			projections.On(fold[subscription.Reactivated]),
			projections.On(fold[subscription.Ended]),
			projections.On(fold[subscription.PhaseAdded]),
			projections.On(fold[subscription.PlanChanged]),
			projections.On(fold[subscription.GiftNotified]),
			projections.On(fold[subscription.GiftRedeemed]),
			projections.On(fold[subscription.GiftTermGiven]),
			projections.On(fold[subscription.Erased]),
			// A payment awaiting 3-D Secure expires on the clock: the row must know when it began and ended.
			projections.On(fold[subscription.PurchaseAwaitingPayment]),
			projections.On(fold[subscription.PurchaseSettled]),
			projections.On(fold[subscription.PurchaseAbandoned]),
			// An invoice sent to be paid is due, then overdue, on the clock (subscription/overdue.go).
			projections.On(fold[subscription.InvoiceOverdue]),
		},
		Batch: applyBatch,
	}
}

// fold folds the event into the subscription's stored state and stores the state with what it is due for.
func fold[E subscription.Event](ctx context.Context, tx *sqlx.Tx, e projections.Event[E]) error {
	id, err := subscriptionID(e.Stream)
	if err != nil {
		return err
	}
	var stored []byte
	var revision int64
	err = tx.QueryRowxContext(ctx, `SELECT state, revision FROM billing_deadlines WHERE subscription_id = $1`, id).
		Scan(&stored, &revision)
	var s subscription.State
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return fmt.Errorf("read the deadline of subscription %d: %w", id, err)
	case uint64(revision) >= e.Revision:
		return nil // applied already
	default:
		if s, err = decodeDueState(id, stored); err != nil {
			return err
		}
	}
	s = subscription.Evolve(s, e.Data)
	return store(ctx, tx, id, s, e.Revision)
}

// store writes the row of the subscription at revision, with its next due item (none: NULLs).
func store(ctx context.Context, tx *sqlx.Tx, id int64, s subscription.State, revision uint64) error {
	d, err := deadlineOf(id, s)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO billing_deadlines (subscription_id, state, kind, due_at, revision)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (subscription_id) DO UPDATE SET state = $2, kind = $3, due_at = $4, revision = $5
		WHERE billing_deadlines.revision < $5`, id, d.state, d.kind, d.dueAt, revision)
	if err != nil {
		return fmt.Errorf("store the deadline of subscription %d: %w", id, err)
	}
	return nil
}

// deadlineRow is what a row stores of a subscription's state: what the next fold needs of it (dueState),
// encoded, and its next due item (none: NULLs).
type deadlineRow struct {
	state []byte
	kind  sql.NullString
	dueAt sql.NullString // RFC 3339, so a batch passes it in a text array cast to timestamptz
}

// deadlineOf is the row of subscription id in state s.
func deadlineOf(id int64, s subscription.State) (deadlineRow, error) {
	encoded, err := json.Marshal(dueStateOf(s))
	if err != nil {
		return deadlineRow{}, fmt.Errorf("encode the deadline state of subscription %d: %w", id, err)
	}
	d := deadlineRow{state: encoded}
	if due, ok := s.Due(); ok {
		d.kind = sql.NullString{String: string(due.Kind), Valid: true}
		d.dueAt = sql.NullString{String: due.At.Format(time.RFC3339Nano), Valid: true}
	}
	return d, nil
}

// decodeDueState is the state stored in the row of subscription id, every field dueState leaves out zero.
func decodeDueState(id int64, stored []byte) (subscription.State, error) {
	var d dueState
	if err := json.Unmarshal(stored, &d); err != nil {
		return subscription.State{}, fmt.Errorf("decode the deadline state of subscription %d: %w", id, err)
	}
	return d.state(), nil
}

// subscriptionID is the id in a stream name "subscription-<id>".
func subscriptionID(stream string) (int64, error) {
	prefix, rest, ok := strings.Cut(stream, "-")
	id, err := strconv.ParseInt(rest, 10, 64)
	if !ok || prefix != "subscription" || err != nil || id < 1 {
		return 0, fmt.Errorf("stream %q is not a subscription's", stream)
	}
	return id, nil
}
