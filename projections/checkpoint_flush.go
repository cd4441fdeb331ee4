package projections

import (
	"context"
	"strconv"
	"time"

	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// flushCheckpoints writes, every checkpointInterval until ctx ends, the checkpoint each projection reached in
// memory over events it has no handler for (see apply), so a quiet log does not leave the persisted
// checkpoint behind for good: operator tools (`pelcro projections status --max-lag`), other processes'
// WaitFor and the next start all read the table. Writing a position the tracker reached is always safe:
// every event up to it was applied in a committed transaction or needed nothing, and the write never moves
// a checkpoint back.
//
// Every projection due is written by one statement in one transaction: with twenty projections that mostly
// ignore a given event, one transaction each cost eighty statements a second. A projection whose tracker
// stands where its own last transaction committed is not due: writing it again would only wait for the row
// its next batch holds.
func (r *Runner) flushCheckpoints(ctx context.Context) {
	tick := time.NewTicker(checkpointInterval)
	defer tick.Stop()
	flushed := map[string]eventstore.Position{}
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		due := map[string]eventstore.Position{}
		for _, run := range r.runs {
			pos := run.tracker.view().checkpoint
			if pos == nil || flushed[run.name] == *pos {
				continue
			}
			if committed := run.committed.Load(); committed != nil && *committed == *pos {
				continue
			}
			due[run.name] = *pos
		}
		if len(due) == 0 {
			continue
		}
		if err := r.writeCheckpoints(ctx, due); err != nil {
			if ctx.Err() == nil {
				r.cfg.Logger.Warn("projection checkpoints not written; will try again", "projections", len(due), "error", err)
			}
			continue
		}
		for name, pos := range due {
			flushed[name] = pos
		}
	}
}

// writeCheckpointsQuery moves the checkpoints of projections $1 forward to ($2, $3), one row each, inserting
// the missing ones; it never moves one back. The rows are written in the order of $1, sorted, so two
// runners flushing the same projections lock them in one order.
const writeCheckpointsQuery = `INSERT INTO projection_checkpoints AS c (projection, commit_pos, prepare_pos, updated_at)
	SELECT name, commit_pos::numeric, prepare_pos::numeric, now()
	FROM unnest($1::text[], $2::text[], $3::text[]) AS due (name, commit_pos, prepare_pos)
	ORDER BY name
	ON CONFLICT (projection) DO UPDATE
	SET commit_pos = EXCLUDED.commit_pos, prepare_pos = EXCLUDED.prepare_pos, updated_at = EXCLUDED.updated_at
	WHERE (c.commit_pos, c.prepare_pos) < (EXCLUDED.commit_pos, EXCLUDED.prepare_pos)`

// writeCheckpoints moves the projections' persisted checkpoints forward to the positions given, in one
// transaction that does not wait for the disk (a lost write only makes the next start read a few events
// again).
func (r *Runner) writeCheckpoints(ctx context.Context, due map[string]eventstore.Position) error {
	var names, commits, prepares pq.StringArray
	for name, pos := range due {
		names = append(names, name)
		commits = append(commits, strconv.FormatUint(pos.Commit, 10))
		prepares = append(prepares, strconv.FormatUint(pos.Prepare, 10))
	}
	tx, err := r.cfg.DB.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, writeCheckpointsQuery, names, commits, prepares); err != nil {
		return err
	}
	return tx.Commit()
}
