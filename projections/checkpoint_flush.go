package projections

import (
	"context"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// flushCheckpoints writes, every checkpointInterval until ctx ends, the checkpoint each projection reached in
// memory over events it has no handler for (see apply), so a quiet log does not leave the persisted
// checkpoint behind for good: operator tools (`pelcro projections status --max-lag`), other processes'
// WaitFor and the next start all read the table. Writing a position the tracker reached is always safe:
// every event up to it was applied in a committed transaction or needed nothing, and the write never moves
// a checkpoint back.
//
// A projection whose tracker stands where its own last transaction committed is not due: writing it again
// would only wait for the row its next batch holds.
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
		written, err := r.writeCheckpoints(ctx, due)
		for name, pos := range written {
			flushed[name] = pos
		}
		if err != nil && ctx.Err() == nil {
			r.cfg.Logger.Warn("projection checkpoints not written; will try again", "error", err)
		}
	}
}

// writeCheckpoints moves the projections' persisted checkpoints forward to the positions given, one
// transaction each that does not wait for the disk (a lost write only makes the next start read a few events
// again).
//
// Warning: never write several projections' rows in one transaction. A reactor waits inside its transaction,
// holding its checkpoint row, for read models to reach its event (seat claims); a flush holding a read
// model's row while it waits for the reactor's would stop that read model until the reactor's wait ran out
// (tried: registrations answered 503 after 10 s under load).
func (r *Runner) writeCheckpoints(ctx context.Context, due map[string]eventstore.Position) (written map[string]eventstore.Position, err error) {
	written = map[string]eventstore.Position{}
	for name, pos := range due {
		if err := r.writeCheckpoint(ctx, name, pos); err != nil {
			return written, err
		}
		written[name] = pos
	}
	return written, nil
}

// writeCheckpoint moves one projection's persisted checkpoint forward to pos, in a transaction of its own.
func (r *Runner) writeCheckpoint(ctx context.Context, projection string, pos eventstore.Position) error {
	tx, err := r.cfg.DB.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
		return err
	}
	if _, err := advanceCheckpoint(ctx, tx, projection, pos); err != nil {
		return err
	}
	return tx.Commit()
}
