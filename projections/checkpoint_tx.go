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
const lockCheckpointAsyncQuery = selectCheckpoints + ` WHERE projection = $1` + asyncCommit + ` FOR UPDATE`

// moveCheckpointQuery is the first statement of a batch's transaction: it moves the checkpoint of projection
// $1 to the batch's last event ($4, $5) only while the checkpoint lies before the batch's first event ($2,
// $3), and locks the row. A checkpoint moves with the rows it reflects, in one transaction, so a checkpoint
// before the first event proves that no event of the batch has been applied, by anyone: all of them are
// applied now. A runner elsewhere that holds the row makes it wait and then see that runner's commit. One
// statement thus does what a locked read and a write of the checkpoint did in two round trips.
var moveCheckpointQuery = moveCheckpointAfter(0)

// moveCheckpointAfter is moveCheckpointQuery with its parameters numbered after the first n ($n+1 … $n+5),
// for a statement that carries other arguments first (aloneQuery): one definition of when a checkpoint may
// move.
func moveCheckpointAfter(n int) string {
	arg := func(i int) string { return "$" + strconv.Itoa(n+i) }
	return `UPDATE projection_checkpoints
	SET commit_pos = ` + arg(4) + `::numeric, prepare_pos = ` + arg(5) + `::numeric, updated_at = now()
	WHERE projection = ` + arg(1) + ` AND (commit_pos, prepare_pos) < (` + arg(2) + `::numeric, ` + arg(3) + `::numeric)`
}

// moveCheckpointAsyncQuery is moveCheckpointQuery that also turns synchronous_commit off for the rest of the
// transaction, as lockCheckpointAsyncQuery does.
var moveCheckpointAsyncQuery = moveCheckpointQuery + asyncCommit

// asyncCommit is the condition that turns synchronous_commit off for the rest of the transaction.
const asyncCommit = `
	AND set_config('synchronous_commit', 'off', true) IS NOT NULL`

// inCheckpointTx runs apply and advances the checkpoint of projection to last in one transaction, for a
// batch of events from first to last; apply gets the checkpoint it starts from, so a batch applies only its
// events after it (nil: every event of the batch is after it, or there is no checkpoint yet). When the
// checkpoint already is at or after last (a redelivery, or another process running the same projection got
// there first) nothing is applied and it returns false: this makes every projection idempotent per event.
//
// The usual case costs one statement besides apply's (moveCheckpointQuery). Only when that finds the
// checkpoint missing or at or past first does the transaction go on to read it under lock and apply what is
// after it.
//
// A durable projection's commit waits for the disk (synchronous_commit as the server sets it): its rows cause
// effects beyond the database (mail is sent from them) that a lost commit would repeat. Any other read model
// is derived from the log alone and commits without waiting (see lockCheckpointAsyncQuery).
func inCheckpointTx(ctx context.Context, db *sqlx.DB, projection string, durable bool, first, last eventstore.Position,
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
	moved, err := moveCheckpoint(ctx, tx, projection, durable, first, last)
	if err != nil {
		return false, err
	}
	if !moved {
		if moved, err = lockedApply(ctx, tx, projection, durable, last, apply); err != nil || !moved {
			return false, err
		}
	} else if err := apply(tx, nil); err != nil {
		return false, err
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("projections: %s: commit at %s: %w", projection, last, err)
	}
	return true, nil
}

// moveCheckpoint runs moveCheckpointQuery and reports whether it moved the checkpoint.
func moveCheckpoint(ctx context.Context, tx *sqlx.Tx, projection string, durable bool, first, last eventstore.Position) (bool, error) {
	query := moveCheckpointAsyncQuery
	if durable {
		query = moveCheckpointQuery
	}
	res, err := tx.ExecContext(ctx, query, projection, strconv.FormatUint(first.Commit, 10), strconv.FormatUint(first.Prepare, 10),
		strconv.FormatUint(last.Commit, 10), strconv.FormatUint(last.Prepare, 10))
	if err != nil {
		return false, fmt.Errorf("projections: %s: advance checkpoint to %s: %w", projection, last, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// lockedApply is the rest of a batch's transaction when moveCheckpoint did not move the checkpoint: it reads
// the checkpoint under lock, applies the events after it and moves it to last (inserting the first row of a
// new projection). It reports false when there was nothing to apply.
func lockedApply(ctx context.Context, tx *sqlx.Tx, projection string, durable bool, last eventstore.Position,
	apply func(tx *sqlx.Tx, after *eventstore.Position) error) (bool, error) {
	current, ok, err := lockCheckpoint(ctx, tx, projection, durable)
	if err != nil || (ok && current.Compare(last) >= 0) {
		return false, err
	}
	var after *eventstore.Position
	if ok {
		after = &current
	}
	if err := apply(tx, after); err != nil {
		return false, err
	}
	return advanceCheckpoint(ctx, tx, projection, last)
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
