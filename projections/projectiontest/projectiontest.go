// Package projectiontest holds what tests of read models share: a fresh database with the read-model
// schema, and apply funcs run one event at a time inside a transaction, as the runner runs them.
package projectiontest

import (
	"context"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest/migratedtest"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// ReadModels opens a fresh database of the test's own with every read-model migration applied; it is
// closed and dropped when the test ends. It fails the test when PostgreSQL is unreachable.
func ReadModels(t testing.TB) *sqlx.DB {
	t.Helper()
	_, db := Database(t)
	return db
}

// Database is ReadModels with the database's URL, for tests that open an event store in the same database.
func Database(t testing.TB) (string, *sqlx.DB) {
	t.Helper()
	url := migratedtest.NewDatabase(t)
	db, err := pg.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("projectiontest: open database: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return url, db
}

// Step is one event applied inside a transaction.
type Step func(ctx context.Context, tx *sqlx.Tx) error

// At is the event data at a revision of its stream, given to apply as the runner would.
func At[E any](revision uint64, apply projections.ApplyFunc[E], data E) Step {
	return func(ctx context.Context, tx *sqlx.Tx) error {
		return apply(ctx, tx, projections.Event[E]{Envelope: projections.Envelope{Revision: revision}, Data: data})
	}
}

// InTx runs step in a transaction of its own and commits it, failing the test on any error.
func InTx(t testing.TB, db *sqlx.DB, step Step) {
	t.Helper()
	tx, err := db.BeginTxx(context.Background(), nil)
	if err != nil {
		t.Fatalf("projectiontest: begin: %v", err)
	}
	defer func() { _ = tx.Rollback() }()
	if err := step(context.Background(), tx); err != nil {
		t.Fatalf("projectiontest: apply: %v", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatalf("projectiontest: commit: %v", err)
	}
}

// Redelivered applies the given history, then the event under test twice (a redelivery after a crash
// before the acknowledgement), on a fresh database it returns for the test's assertions.
func Redelivered(t testing.TB, given []Step, when Step) *sqlx.DB {
	t.Helper()
	db := ReadModels(t)
	for _, s := range given {
		InTx(t, db, s)
	}
	InTx(t, db, when)
	InTx(t, db, when)
	return db
}
