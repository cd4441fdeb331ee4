package deadline

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// applyBatch is the projection's Batch, used by rebuilds and by the running projection whenever several
// events are ready at once (a billing run writes hundreds a second): it reads the rows of every subscription
// the batch names in one statement, folds the events over them in memory by fold's rules (an event at or
// below the row's revision changes nothing), and writes the changed rows back in one multi-row upsert.
// Per-event statements cost two round trips each and were most of the database's work in a billing run.
//
// Warning: a change to fold's rules must be made here too; TestBatchMatchesTheHandlers holds them together.
var applyBatch = projections.FoldBatch(func() projections.Folder { return &batch{rows: map[int64]*batchRow{}} })

// batchRow is a subscription's row as the batch folds it; changed marks it for Store.
type batchRow struct {
	state    subscription.State
	revision int64 // -1 while the table has no row
	changed  bool
}

// batch is the state of the rows a batch touches.
type batch struct{ rows map[int64]*batchRow }

// Load reads the rows of every subscription the events belong to.
func (b *batch) Load(ctx context.Context, tx *sqlx.Tx, events []projections.Event[any]) error {
	ids := make([]int64, 0, len(events))
	for _, e := range events {
		id, err := subscriptionID(e.Stream)
		if err != nil {
			return err
		}
		if _, seen := b.rows[id]; !seen {
			b.rows[id] = &batchRow{revision: -1}
			ids = append(ids, id)
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT subscription_id, state, revision FROM billing_deadlines
		WHERE subscription_id = ANY($1)`, pq.Array(ids))
	if err != nil {
		return fmt.Errorf("read the batch's deadlines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, revision int64
		var stored []byte
		if err := rows.Scan(&id, &stored, &revision); err != nil {
			return fmt.Errorf("read the batch's deadlines: %w", err)
		}
		r := b.rows[id]
		if r.state, err = decodeDueState(id, stored); err != nil {
			return err
		}
		r.revision = revision
	}
	return rows.Err()
}

// Fold folds one event into its subscription's row unless the row reflects it already.
func (b *batch) Fold(e projections.Event[any]) error {
	id, err := subscriptionID(e.Stream)
	if err != nil {
		return err
	}
	data, ok := e.Data.(subscription.Event)
	if !ok {
		return fmt.Errorf("deadline: unexpected event %T in subscription %d", e.Data, id)
	}
	r := b.rows[id]
	if r.revision >= 0 && uint64(r.revision) >= e.Revision {
		return nil // applied already
	}
	r.state, r.revision, r.changed = subscription.Evolve(r.state, data), int64(e.Revision), true
	return nil
}

// Store writes the changed rows in one upsert, in subscription order (the order a release or a claim
// meets them least often the other way round), leaving the lease columns alone.
func (b *batch) Store(ctx context.Context, tx *sqlx.Tx) error {
	ids := make([]int64, 0, len(b.rows))
	for id, r := range b.rows {
		if r.changed {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, cmp.Compare)
	var states []string
	var kinds, dueAts []sql.NullString
	revisions := make([]int64, 0, len(ids))
	for _, id := range ids {
		r := b.rows[id]
		d, err := deadlineOf(id, r.state)
		if err != nil {
			return err
		}
		states, kinds, dueAts = append(states, string(d.state)), append(kinds, d.kind), append(dueAts, d.dueAt)
		revisions = append(revisions, r.revision)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO billing_deadlines (subscription_id, state, kind, due_at, revision)
		SELECT * FROM unnest($1::bigint[], $2::jsonb[], $3::text[], $4::timestamptz[], $5::bigint[])
		ON CONFLICT (subscription_id) DO UPDATE SET state = excluded.state, kind = excluded.kind,
			due_at = excluded.due_at, revision = excluded.revision
		WHERE billing_deadlines.revision < excluded.revision`,
		pq.Array(ids), pq.Array(states), pq.Array(kinds), pq.Array(dueAts), pq.Array(revisions))
	if err != nil {
		return fmt.Errorf("store the batch's deadlines: %w", err)
	}
	return nil
}
