package projections

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// noFlushWait lets a catch-up transaction commit without waiting for its WAL to reach the disk: what it
// wrote lives only in the fresh tables, which a crash throws away with the rest of an unfinished rebuild,
// and the swap's commit waits for the WAL of every commit before it. A PostgreSQL crash in the middle may
// lose the last of those commits while the rebuild, reconnected, carries on past them: the progress row
// (recordProgress) catches that. Warning: never use it in the swap or any transaction that touches the
// live tables or the checkpoint.
const noFlushWait = `SET LOCAL synchronous_commit = off`

// progressTable holds, in the fresh schema, one row: the position the fresh tables' last committed batch
// applied through ("" before the first).
const progressTable = "pelcro_rebuild_progress"

// recordProgress moves the progress row from rb.from to through, inside the transaction that applies the
// events between them. It fails when the row does not stand at rb.from: commits of earlier batches were
// lost (a crash of PostgreSQL with noFlushWait), and swapping those tables in would silently miss events.
func (rb *rebuild) recordProgress(ctx context.Context, tx *sqlx.Tx, through eventstore.AllFrom) error {
	res, err := tx.ExecContext(ctx, `UPDATE `+rb.qualified(rb.fresh, progressTable)+` SET applied_through = $1
		WHERE applied_through = $2`, positionText(through), positionText(rb.from))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("projections: rebuild %s: the fresh tables lost batches they had committed (did PostgreSQL restart?); rebuild again", rb.run.name)
	}
	return nil
}

// positionText is how the progress row spells a position: "" for the start of the log.
func positionText(f eventstore.AllFrom) string {
	if p, ok := f.Position(); ok {
		return p.String()
	}
	return ""
}

// catchUp applies the whole log as it is now to the fresh tables, one transaction per page, each page read
// and decoded ahead while the one before is applied (prefetch).
func (rb *rebuild) catchUp(ctx context.Context, opts rebuildOptions) error {
	ctx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	pages := rb.prefetch(ctx, rb.from)
	for total := 0; ; {
		p, ok := <-pages
		if !ok {
			return ctx.Err() // only an ended ctx closes the channel before a short page
		}
		if p.err != nil {
			return p.err
		}
		if len(p.steps) > 0 {
			if err := rb.commitPage(ctx, p.steps, p.steps[len(p.steps)-1].ev.Position); err != nil {
				return err
			}
		}
		total += len(p.steps)
		if at, ok := rb.from.Position(); ok && opts.onProgress != nil {
			opts.onProgress(total, at)
		}
		if len(p.steps) < rb.cfg.RebuildBatchSize {
			return nil
		}
	}
}

// commitPage applies steps to the fresh tables in a transaction of its own that also moves the progress row
// to through (the last event read for them, which steps need not include: a one-pass replay hands each
// projection only the events it handles), and then rb.from.
func (rb *rebuild) commitPage(ctx context.Context, steps []step, through eventstore.Position) error {
	_, err := rb.inFreshTx(ctx, func(tx *sqlx.Tx) (int, error) {
		if err := rb.exec(ctx, tx, []string{noFlushWait}); err != nil {
			return 0, err
		}
		if err := rb.recordProgress(ctx, tx, eventstore.AllAfter(through)); err != nil {
			return 0, err
		}
		return rb.applyPage(ctx, tx, logPage{steps: steps})
	})
	if err == nil {
		rb.from = eventstore.AllAfter(through)
	}
	return err
}
