package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationTable records which event store migrations ran. It must differ from goose's default table, which
// the read-model migrations use in the same database: sharing it would mix two version sequences.
const migrationTable = "pelcro_eventstore_migrations"

// migrationLockID is the advisory lock that keeps two processes from migrating the event store at once. It
// differs from goose's default so read-model migrations never wait for it.
const migrationLockID = 0x70656c63726f6573 // ASCII "pelcroes"

// Migrate brings the event store schema (the events table and the pelcro_append function) up to date. It is
// safe to run from several processes at once and does nothing when the schema is current.
func Migrate(ctx context.Context, db *sql.DB) error {
	dir, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return fmt.Errorf("eventstore/postgres: migrations: %w", err)
	}
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(migrationLockID))
	if err != nil {
		return fmt.Errorf("eventstore/postgres: migration lock: %w", err)
	}
	provider, err := goose.NewProvider(goose.DialectPostgres, db, dir,
		goose.WithTableName(migrationTable),
		goose.WithSessionLocker(locker),
		goose.WithDisableGlobalRegistry(true),
	)
	if err != nil {
		return fmt.Errorf("eventstore/postgres: migrations: %w", err)
	}
	if _, err := provider.Up(ctx); err != nil {
		return fmt.Errorf("eventstore/postgres: migrate: %w", err)
	}
	return nil
}
