package projections

import (
	"context"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// uniqueViolation is PostgreSQL's SQLSTATE for a duplicate key.
const uniqueViolation = "23505"

// CopyAbsentRows is CopyRows for rows the batch has good reason to think absent but cannot be sure of: the
// read model can be ahead of the checkpoint (a checkpoint deleted or rewound, which the runner supports, or
// two processes running the same projection before its checkpoint row exists). It COPYs inside a savepoint;
// when a row is there after all (unique violation) it rolls the COPY alone back and returns false, the
// transaction still usable, and the caller writes the same rows through its conflict-checked statement. The
// batch then neither fails nor falls back to one event per transaction.
//
// Why a savepoint and not a check first: a check reads the committed rows only, while a COPY of a row another
// process inserted and has not committed waits for it and fails once it commits; a check also costs a probe
// of the index per row, the very cost COPY saves. The savepoint costs two round trips that do no work
// (SAVEPOINT, RELEASE) next to a COPY of at least MinRowsToCopy rows, and one subtransaction per call.
//
// Warning: keep calls to a few per transaction: past 64 subtransactions a backend's snapshots overflow and
// every reader of the database slows down.
func CopyAbsentRows(ctx context.Context, tx *sqlx.Tx, table string, columns []string, n int, row func(i int) []any) (bool, error) {
	if n == 0 {
		return true, nil
	}
	if _, err := tx.ExecContext(ctx, `SAVEPOINT copy_absent_rows`); err != nil {
		return false, fmt.Errorf("copy into %s: %w", table, err)
	}
	err := CopyRows(ctx, tx, table, columns, n, row)
	if pqErr := (*pq.Error)(nil); errors.As(err, &pqErr) && pqErr.Code == uniqueViolation {
		if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT copy_absent_rows; RELEASE SAVEPOINT copy_absent_rows`); err != nil {
			return false, fmt.Errorf("undo the copy into %s: %w", table, err)
		}
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT copy_absent_rows`); err != nil {
		return false, fmt.Errorf("copy into %s: %w", table, err)
	}
	return true, nil
}
