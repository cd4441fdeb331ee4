// Package catalogtest is test support for the catalog read side (projections/catalog, queries, transport):
// a fresh PostgreSQL database with the read-model schema and a PostgreSQL event store, catalog imports
// through the command pipeline, and a runner of the catalog projections to wait on.
//
// It is neutral ground on purpose: it wires commands, the event store and the projections together the way
// cmd/pelcro does, so it belongs to none of them. Kept under projections/catalog, it made every package
// whose tests used it (queries among them) reach through the projections into commands.
package catalogtest

import (
	"context"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/eventstore/postgres"
	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest/migratedtest"
	"github.com/pelcro-oss/pelcro-api/projections"
	catalogprojections "github.com/pelcro-oss/pelcro-api/projections/catalog"
)

// Env is one test's read-model database and event store (the same PostgreSQL database, as in `pelcro
// serve` by default).
type Env struct {
	t     testing.TB
	DB    *sqlx.DB
	Store eventstore.Store
}

// New opens a fresh database, applies the read-model migrations and opens the event store in it. It fails
// the test when PostgreSQL is unreachable.
func New(t testing.TB) *Env {
	t.Helper()
	dsn := migratedtest.NewDatabase(t)
	ctx := context.Background()
	db, err := pg.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("catalogtest: open read-model database: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	store, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("catalogtest: open event store: %v", err)
	}
	t.Cleanup(func() { _ = store.Close() })
	return &Env{t: t, DB: db, Store: store}
}

// Import writes c through commands.ImportCatalog and returns the position of the last event of the log.
func (e *Env) Import(c catalog.Catalog) eventstore.Position {
	e.t.Helper()
	ctx := context.Background()
	if _, err := commands.ImportCatalog(ctx, e.Store, c, time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)); err != nil {
		e.t.Fatalf("catalogtest: import: %v", err)
	}
	events, err := e.Store.ReadAll(ctx, eventstore.AllStart(), 100_000)
	if err != nil || len(events) == 0 {
		e.t.Fatalf("catalogtest: read the log after the import: %d events, %v", len(events), err)
	}
	return events[len(events)-1].Position
}

// Start runs a new runner of every catalog projection until the test ends (then checks it stopped
// without an error).
func (e *Env) Start() *projections.Runner {
	e.t.Helper()
	runner, err := projections.NewRunner(projections.Config{Store: e.Store, DB: e.DB, Registry: catalog.Events},
		catalogprojections.All()...)
	if err != nil {
		e.t.Fatalf("catalogtest: new runner: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runner.Run(ctx) }()
	e.t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			e.t.Errorf("catalogtest: runner: %v", err)
		}
	})
	return runner
}

// WaitFor waits (at most 20 s) until every catalog projection of runner reflects pos.
func (e *Env) WaitFor(runner *projections.Runner, pos eventstore.Position) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := runner.WaitFor(ctx, pos, catalogprojections.Names()...); err != nil {
		e.t.Fatalf("catalogtest: wait for %s: %v", pos, err)
	}
}

// Project imports c and waits until runner reflects it.
func (e *Env) Project(runner *projections.Runner, c catalog.Catalog) {
	e.t.Helper()
	e.WaitFor(runner, e.Import(c))
}
