package projections

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// ErrNeverRan is Verify's answer for a projection without a checkpoint: it has no live tables to check.
var ErrNeverRan = errors.New("projections: the projection never ran here (no checkpoint)")

// Compare inspects a projection's tables: live is the schema serving reads, scratch the schema holding the
// same tables recomputed from the log, both reflecting the same position. It runs inside tx and must only read.
type Compare func(ctx context.Context, tx *sqlx.Tx, live, scratch string) error

// Verify recomputes p's tables from the log into a scratch schema ("verify_<name>") and hands both to compare
// once they reflect the same position, which it returns; the scratch schema is dropped afterwards and the live
// tables are never written. It is Rebuild without the swap: the same apply funcs and batches fill the scratch
// tables up to the live checkpoint, and the last catch-up runs in the transaction that holds the checkpoint
// row (the running projection waits for compare, so keep it quick).
func Verify(ctx context.Context, cfg Config, p Projection, compare Compare) (eventstore.Position, error) {
	rb, err := newRebuild(ctx, cfg, p)
	if err != nil {
		return eventstore.Position{}, err
	}
	rb.fresh = "verify_" + strings.ReplaceAll(p.Name, ".", "_")
	defer func() {
		_, _ = cfg.DB.ExecContext(context.WithoutCancel(ctx), `DROP SCHEMA IF EXISTS `+pq.QuoteIdentifier(rb.fresh)+` CASCADE`)
	}()
	start, ok, err := readCheckpoint(ctx, cfg.DB, p.Name, false)
	if err != nil {
		return eventstore.Position{}, err
	}
	if !ok {
		return eventstore.Position{}, fmt.Errorf("%w: %s", ErrNeverRan, p.Name)
	}
	if err := rb.createFreshTables(ctx); err != nil {
		return eventstore.Position{}, err
	}
	if err := rb.fillUntil(ctx, start); err != nil {
		return eventstore.Position{}, rb.pinpoint(ctx, err)
	}
	var target eventstore.Position
	_, err = rb.inFreshTx(ctx, func(tx *sqlx.Tx) (int, error) {
		checkpoint, _, err := readCheckpoint(ctx, tx, p.Name, true)
		if err != nil {
			return 0, err
		}
		for {
			n, err := rb.applyPage(ctx, tx, rb.readPage(ctx, rb.from, &checkpoint))
			if err != nil {
				return 0, err
			}
			if n < rb.cfg.RebuildBatchSize {
				break
			}
		}
		target = checkpoint
		return 0, compare(ctx, tx, rb.live, rb.fresh)
	})
	return target, rb.pinpoint(ctx, err)
}

// fillUntil applies the log up to until (inclusive) to the scratch tables, one transaction per page.
func (rb *rebuild) fillUntil(ctx context.Context, until eventstore.Position) error {
	for {
		n, err := rb.inFreshTx(ctx, func(tx *sqlx.Tx) (int, error) {
			return rb.applyPage(ctx, tx, rb.readPage(ctx, rb.from, &until))
		})
		if err != nil || n < rb.cfg.RebuildBatchSize {
			return err
		}
	}
}
