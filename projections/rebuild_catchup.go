package projections

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// noFlushWait lets a catch-up transaction commit without waiting for its WAL to reach the disk: what it
// wrote lives only in the fresh tables, which a crash throws away with the rest of an unfinished rebuild
// (the next one starts from empty tables), and the swap's commit waits for the WAL of every commit before it.
// A server that crashes and comes back while the rebuild runs may have lost the last of those commits
// while rb.from has moved past them: sameServerRun refuses the swap then. Warning: never use it in the
// swap or any transaction that touches the live tables or the checkpoint.
const noFlushWait = `SET LOCAL synchronous_commit = off`

// sameServerRun fails when the PostgreSQL server restarted since the rebuild began.
func (rb *rebuild) sameServerRun(ctx context.Context, tx *sqlx.Tx) error {
	var started time.Time
	if err := tx.GetContext(ctx, &started, `SELECT pg_postmaster_start_time()`); err != nil {
		return err
	}
	if !started.Equal(rb.serverStarted) {
		return fmt.Errorf("projections: rebuild %s: PostgreSQL restarted during the rebuild and may have lost some of its writes; rebuild again", rb.run.name)
	}
	return nil
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
		applied, err := rb.inFreshTx(ctx, func(tx *sqlx.Tx) (int, error) {
			if err := rb.exec(ctx, tx, []string{noFlushWait}); err != nil {
				return 0, err
			}
			return rb.applyPage(ctx, tx, p)
		})
		if err != nil {
			return err
		}
		total += applied
		if at, ok := rb.from.Position(); ok && opts.onProgress != nil {
			opts.onProgress(total, at)
		}
		if applied < rb.cfg.RebuildBatchSize {
			return nil
		}
	}
}
