package pgtest

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/internal/migrations"
	"github.com/pelcro-oss/pelcro-api/internal/pg"
)

// MigratedDatabase is NewDatabase with the read-model migrations applied, opened for the test and closed
// when it ends.
func MigratedDatabase(t TB) *sqlx.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := pg.Open(ctx, NewDatabase(t))
	if err != nil {
		t.Fatalf("pgtest: open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := migrations.Apply(ctx, db.DB); err != nil {
		t.Fatalf("pgtest: migrations: %v", err)
	}
	return db
}
