package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pelcro-oss/pelcro-api/internal/pg"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationTable records which event store migrations ran. It must differ from the read-model migrations'
// table in the same database: sharing it would mix two version sequences. Renaming it replays every
// migration against an existing schema: don't.
const migrationTable = "pelcro_eventstore_migrations"

// Migrate brings the event store schema (the events table and the pelcro_append function) up to date. It is
// safe to run from several processes at once and does nothing when the schema is current.
func Migrate(ctx context.Context, db *sql.DB) error {
	return migrations(func(dir fs.FS) error { return pg.Migrate(ctx, db, dir, migrationTable) })
}

// CheckMigrated returns pg.ErrNotMigrated (wrapped) when the event store schema lacks a migration; it
// changes nothing.
func CheckMigrated(ctx context.Context, db *sql.DB) error {
	return migrations(func(dir fs.FS) error { return pg.CheckMigrated(ctx, db, dir, migrationTable) })
}

// MigrationsFingerprint names the schema Migrate builds (pg.Fingerprint): tests clone databases migrated
// once from a template named after it.
func MigrationsFingerprint() (fingerprint string, err error) {
	err = migrations(func(dir fs.FS) error {
		fingerprint, err = pg.Fingerprint(dir)
		return err
	})
	return fingerprint, err
}

// migrations runs use on the embedded migration files.
func migrations(use func(fs.FS) error) error {
	dir, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return fmt.Errorf("eventstore/postgres: migrations: %w", err)
	}
	if err := use(dir); err != nil {
		return fmt.Errorf("eventstore/postgres: %w", err)
	}
	return nil
}
