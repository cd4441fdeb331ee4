package projections

import (
	"context"

	"github.com/jmoiron/sqlx"
)

// Folder is the state of a set-based Batch: the rows its events touch, read once, changed in memory by the
// rules of the projection's apply funcs, and written back once.
type Folder interface {
	// Load reads the current rows of everything the events will change.
	Load(ctx context.Context, tx *sqlx.Tx, events []Event[any]) error
	// Fold applies one event to the rows in memory, by the same rules (revision guards, numbering) as the
	// handler of its type.
	Fold(e Event[any]) error
	// Store writes the changed rows back in a few set-based statements.
	Store(ctx context.Context, tx *sqlx.Tx) error
}

// FoldBatch is the BatchFunc of a projection whose batches load, fold and store: a fresh Folder per batch
// (newFolder), its rows loaded, every event folded over them in log order, the outcome stored. Per-event
// statements cost a round trip or more each; this costs a few per batch whatever its size.
//
// Warning: a Folder duplicates its apply funcs' rules; test the batch against the handlers for batches of
// every size (see TestBatchMatchesTheApplyFuncs in projections/customer and projections/newsletter).
func FoldBatch(newFolder func() Folder) BatchFunc {
	return func(ctx context.Context, tx *sqlx.Tx, events []Event[any]) error {
		f := newFolder()
		if err := f.Load(ctx, tx, events); err != nil {
			return err
		}
		for _, e := range events {
			if err := f.Fold(e); err != nil {
				return err
			}
		}
		return f.Store(ctx, tx)
	}
}
