// Package benchenv gives the benchmark programs under bench/ a throw-away PostgreSQL database holding the
// read-model schema and the event store, like `pelcro serve` uses by default, and a catalog of realistic
// size to fill it with.
package benchenv

import (
	"context"
	"fmt"
	"net/url"
	"os"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/eventstore/postgres"
	"github.com/pelcro-oss/pelcro-api/internal/migrations"
	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// Database is one benchmark run's database: read models (migrated) and the PostgreSQL event store.
type Database struct {
	serverURL string
	name      string
	// URL names the database, for a child process (`pelcro serve`) to open it too.
	URL   string
	DB    *sqlx.DB
	Store *postgres.Store
}

// Open creates a database named after program and the process id on the server at serverURL, applies the
// read-model migrations and opens the event store in it. Callers must Drop it, on every path: it can hold
// millions of events.
func Open(ctx context.Context, serverURL, program string) (*Database, error) {
	u, err := url.Parse(serverURL)
	if err != nil {
		return nil, err
	}
	d := &Database{serverURL: serverURL, name: fmt.Sprintf("pelcro_bench_%s_%d", program, os.Getpid())}
	u.Path = "/" + d.name
	d.URL = u.String()
	if d.DB, err = pg.Open(ctx, u.String()); err != nil { // pg.Open creates the database
		d.Drop()
		return nil, err
	}
	if err := migrations.Apply(ctx, d.DB.DB); err != nil {
		d.Drop()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	if d.Store, err = postgres.Open(ctx, u.String()); err != nil {
		d.Drop()
		return nil, err
	}
	return d, nil
}

// Drop closes both connections and drops the database, ending any session still attached to it. Errors
// are ignored: it runs on the way out, often after another error.
func (d *Database) Drop() {
	if d.Store != nil {
		_ = d.Store.Close()
	}
	if d.DB != nil {
		_ = d.DB.Close()
	}
	admin, err := sqlx.Open("postgres", d.serverURL)
	if err != nil {
		return
	}
	defer admin.Close()
	_, _ = admin.Exec(`DROP DATABASE IF EXISTS ` + pq.QuoteIdentifier(d.name) + ` WITH (FORCE)`)
}

// Rebuild runs projections.Rebuild of p over the whole log with the registry `pelcro serve` reads the log
// with (catalog and newsletter events), and returns the position the swapped-in tables reflect.
func (d *Database) Rebuild(ctx context.Context, p projections.Projection, options ...projections.RebuildOption) (eventstore.Position, error) {
	registry, err := aggregates.Merge(catalog.Events, newsletter.Events)
	if err != nil {
		return eventstore.Position{}, err
	}
	cfg := projections.Config{Store: d.Store, DB: d.DB, Registry: registry}
	return projections.Rebuild(ctx, cfg, p, options...)
}
