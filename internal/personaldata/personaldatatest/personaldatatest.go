// Package personaldatatest opens the sealing event store of internal/personaldata for tests: a fresh
// PostgreSQL database with the read-model schema (where the keys live), an event store adapter, and the
// decorator over it, with a master key generated in the database as `pelcro serve` does without
// PELCRO_MASTER_KEY. It fails the test when PostgreSQL is unreachable.
package personaldatatest

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/eventstore/postgres"
	"github.com/pelcro-oss/pelcro-api/internal/personaldata"
	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest/migratedtest"
)

// Env is one test's sealing store and what it is made of.
type Env struct {
	DB    *sqlx.DB
	Inner eventstore.Store
	Store *personaldata.Store
	Ring  *personaldata.Keyring
	cfg   personaldata.Config
}

// Inner opens the adapter the sealing store wraps, given the database's URL (a PostgreSQL store may live in
// it; another adapter ignores it). It closes the adapter when the test ends.
type Inner func(t testing.TB, dsn string) eventstore.Store

// Postgres is the PostgreSQL adapter in the keys' database, as `pelcro serve` runs by default.
func Postgres(t testing.TB, dsn string) eventstore.Store {
	t.Helper()
	store, err := postgres.Open(t.Context(), dsn)
	if err != nil {
		t.Fatalf("personaldatatest: open event store: %v", err)
	}
	t.Cleanup(func() { _ = store.Close() })
	return store
}

// New opens a fresh database and a sealing store over inner configured by cfg (Now may be a test clock).
func New(t testing.TB, inner Inner, cfg personaldata.Config) *Env {
	t.Helper()
	// Small pools: tests open many such databases at once, each with two pools, on a shared server.
	dsn := strings.Replace(migratedtest.NewDatabase(t), pg.PoolSizeParam+"=6", pg.PoolSizeParam+"=3", 1)
	db, err := pg.Open(t.Context(), dsn)
	if err != nil {
		t.Fatalf("personaldatatest: open database: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	ring, err := personaldata.LoadKeyring(t.Context(), db, "", nil)
	if err != nil {
		t.Fatalf("personaldatatest: keyring: %v", err)
	}
	env := &Env{DB: db, Inner: inner(t, dsn), Ring: ring, cfg: cfg}
	env.Store = env.Another()
	return env
}

// Another is a second sealing store over the same stores, with a cache of its own: another process.
func (e *Env) Another() *personaldata.Store {
	return personaldata.NewStore(e.Inner, personaldata.NewKeys(e.DB, e.Ring), e.cfg)
}

// Encode turns event values into EventData the way the command pipeline stores them (registry name, schema
// version in the metadata), with fresh ids.
func Encode(t testing.TB, registry *aggregates.Registry, events ...any) []eventstore.EventData {
	t.Helper()
	out := make([]eventstore.EventData, len(events))
	for i, e := range events {
		encoded, err := registry.Encode(e)
		if err != nil {
			t.Fatalf("personaldatatest: %v", err)
		}
		metadata, _ := json.Marshal(aggregates.Metadata{SchemaVersion: encoded.SchemaVersion})
		out[i] = eventstore.EventData{ID: uuid.New(), Type: encoded.Name, Data: encoded.Data, Metadata: metadata}
	}
	return out
}
