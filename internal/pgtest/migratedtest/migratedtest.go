// Package migratedtest gives tests a fresh database holding both schemas a pelcro database holds, the read
// models' and the PostgreSQL event store's, cloned from a template built once per server (pgtest.Schema).
// It lives apart from pgtest because the event store's own tests use pgtest: pgtest may not import it.
package migratedtest

import (
	"context"
	"errors"

	"github.com/pelcro-oss/pelcro-api/eventstore/postgres"
	"github.com/pelcro-oss/pelcro-api/internal/migrations"
	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
)

// Both is the read-model schema and the event store's in one database, as `pelcro migrate` leaves it.
var Both = pgtest.Schema{Name: "read_models_events", Fingerprint: bothFingerprints, Build: migrateBoth}

// NewDatabase returns the URL of a fresh database of the test's own holding Both, dropped when the test
// ends. Opening the event store or applying the read-model migrations on it finds nothing to do.
func NewDatabase(t pgtest.TB) string {
	t.Helper()
	return pgtest.NewDatabaseOf(t, Both)
}

func bothFingerprints() (string, error) {
	readModels, err := migrations.Fingerprint()
	if err != nil {
		return "", err
	}
	events, err := postgres.MigrationsFingerprint()
	return readModels[:8] + events[:8], err
}

func migrateBoth(ctx context.Context, url string) error {
	db, err := pg.Open(ctx, url)
	if err != nil {
		return err
	}
	err = migrations.Apply(ctx, db.DB)
	err = errors.Join(err, db.Close())
	if err != nil {
		return err
	}
	store, err := postgres.Open(ctx, url)
	if err != nil {
		return err
	}
	return store.Close()
}
