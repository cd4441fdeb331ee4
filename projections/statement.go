package projections

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// Statement is one SQL statement and its arguments ($1, $2, … in Query).
type Statement struct {
	Query string
	Args  []any
	// Failing says what the statement does, for its error ("update customer 7 at revision 3"). Warning: it
	// reaches operators (Stop.Reason): ids only, never personal data.
	Failing string
}

// StatementFunc returns the one statement that applies e to a read model (see OnStatement).
type StatementFunc[E any] func(e Event[E]) (Statement, error)

// OnStatement makes a Handler for events of Go type E whose whole change to the read model is the one
// statement that statement returns. It applies like any handler (inside the checkpoint's transaction, in a
// batch or a rebuild), and a running projection applies a lone such event, together with the move of its
// checkpoint, in a single statement without a transaction of its own (applyAlone): one statement instead of
// BEGIN, checkpoint, row and COMMIT.
//
// Warning: the statement must be one INSERT, UPDATE or DELETE without a WITH clause of its own, and the
// read model's change must not depend on anything but the event and the rows the statement itself reads:
// it runs as a sub-statement of a WITH, which sees the rows as they were when the statement started.
func OnStatement[E any](statement StatementFunc[E]) Handler {
	h := On(ApplyStatement(statement))
	h.statement = func(env Envelope, data any) (Statement, error) {
		return statement(Event[E]{Envelope: env, Data: data.(E)})
	}
	return h
}

// ApplyStatement is the apply func that runs statement's statement in the transaction, as OnStatement's
// handler does everywhere but alone.
func ApplyStatement[E any](statement StatementFunc[E]) ApplyFunc[E] {
	return func(ctx context.Context, tx *sqlx.Tx, e Event[E]) error {
		s, err := statement(e)
		if err != nil {
			return err
		}
		_, err = s.Exec(ctx, tx)
		return err
	}
}

// Exec runs the statement in tx, its error prefixed with Failing.
func (s Statement) Exec(ctx context.Context, tx *sqlx.Tx) (sql.Result, error) {
	res, err := tx.ExecContext(ctx, s.Query, s.Args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.Failing, err)
	}
	return res, nil
}
