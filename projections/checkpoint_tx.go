package projections

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// lockCheckpointAsyncQuery locks a projection's checkpoint row, as readCheckpoint with lock does, and in the
// same round trip turns synchronous_commit off for the rest of the transaction: the commit then does not wait
// for the WAL to reach the disk. A crash of PostgreSQL may lose the last such commits, but never a part of
// one: the rows and the checkpoint they moved go together, and the projection applies those events again
// after the restart. (With no checkpoint row yet the setting is not reached and that first commit waits: it
// costs nothing but time.)
const lockCheckpointAsyncQuery = selectCheckpoints + ` WHERE projection = $1
	AND set_config('synchronous_commit', 'off', true) IS NOT NULL FOR UPDATE`

// inCheckpointTx runs apply and advances the checkpoint of projection to pos in one transaction; apply gets
// the checkpoint it starts from (nil for none), so a batch applies only its events after it. When the
// checkpoint already is at or after pos (a redelivery, or another process running the same projection got
// there first) nothing is applied and it returns false: this makes every projection idempotent per event.
//
// A durable projection's commit waits for the disk (synchronous_commit as the server sets it): its rows cause
// effects beyond the database (mail is sent from them) that a lost commit would repeat. Any other read model
// is derived from the log alone and commits without waiting (see lockCheckpointAsyncQuery).
func inCheckpointTx(ctx context.Context, db *sqlx.DB, projection string, durable bool, pos eventstore.Position,
	apply func(tx *sqlx.Tx, after *eventstore.Position) error) (applied bool, err error) {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("projections: %s: begin: %w", projection, err)
	}
	defer func() {
		if !applied {
			_ = tx.Rollback()
		}
	}()
	current, ok, err := lockCheckpoint(ctx, tx, projection, durable)
	if err != nil || (ok && current.Compare(pos) >= 0) {
		return false, err
	}
	var after *eventstore.Position
	if ok {
		after = &current
	}
	if err := apply(tx, after); err != nil {
		return false, err
	}
	advanced, err := advanceCheckpoint(ctx, tx, projection, pos)
	if err != nil || !advanced {
		return false, err
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("projections: %s: commit at %s: %w", projection, pos, err)
	}
	return true, nil
}

// advanceCheckpoint moves the checkpoint forward to pos and reports whether it did; it never moves it back.
// A first checkpoint inserted concurrently by another process makes it report false after that commits.
func advanceCheckpoint(ctx context.Context, tx *sqlx.Tx, projection string, pos eventstore.Position) (bool, error) {
	res, err := tx.ExecContext(ctx, `
		INSERT INTO projection_checkpoints AS c (projection, commit_pos, prepare_pos, updated_at)
		VALUES ($1, $2::numeric, $3::numeric, now())
		ON CONFLICT (projection) DO UPDATE
		SET commit_pos = EXCLUDED.commit_pos, prepare_pos = EXCLUDED.prepare_pos, updated_at = EXCLUDED.updated_at
		WHERE (c.commit_pos, c.prepare_pos) < (EXCLUDED.commit_pos, EXCLUDED.prepare_pos)`,
		projection, strconv.FormatUint(pos.Commit, 10), strconv.FormatUint(pos.Prepare, 10))
	if err != nil {
		return false, fmt.Errorf("projections: %s: advance checkpoint to %s: %w", projection, pos, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// lockCheckpoint reads and locks a projection's checkpoint inside tx, making the transaction's commit
// asynchronous unless the projection is durable.
func lockCheckpoint(ctx context.Context, tx *sqlx.Tx, projection string, durable bool) (eventstore.Position, bool, error) {
	if durable {
		return readCheckpoint(ctx, tx, projection, true)
	}
	return scanCheckpoint(ctx, tx, lockCheckpointAsyncQuery, projection)
}
