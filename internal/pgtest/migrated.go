package pgtest

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/internal/migrations"
	"github.com/pelcro-oss/pelcro-api/internal/pg"
)

// ReadModels is the read-model schema (internal/migrations), cloned by MigratedDatabase.
var ReadModels = Schema{Name: "read_models", Fingerprint: migrations.Fingerprint,
	Build: func(ctx context.Context, url string) error {
		db, err := pg.Open(ctx, url)
		if err != nil {
			return err
		}
		defer db.Close()
		return migrations.Apply(ctx, db.DB)
	}}

// MigratedDatabase is NewDatabase with the read-model migrations applied (a clone of ReadModels' template),
// opened for the test and closed when it ends.
func MigratedDatabase(t TB) *sqlx.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := pg.Connect(ctx, NewDatabaseOf(t, ReadModels))
	if err != nil {
		t.Fatalf("pgtest: open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}
