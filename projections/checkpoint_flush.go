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
// every event up to it was applied in a committed transaction or needed nothing, and advanceCheckpoint
// never moves a checkpoint back.
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
		for _, run := range r.runs {
			pos := run.tracker.view().checkpoint
			if pos == nil || flushed[run.name] == *pos {
				continue
			}
			if err := r.writeCheckpoint(ctx, run.name, *pos); err != nil {
				if ctx.Err() == nil {
					r.cfg.Logger.Warn("projection checkpoint not written; will try again", "projection", run.name, "error", err)
				}
				continue
			}
			flushed[run.name] = *pos
		}
	}
}

// writeCheckpoint moves a projection's persisted checkpoint forward to pos, in a transaction of its own that
// does not wait for the disk (a lost write only makes the next start read a few events again).
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
