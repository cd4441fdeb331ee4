// Package migrations holds the read-model schema as embedded SQL migrations (goose format). Migrations are
// append-only: never edit one that has shipped, add a new file instead.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"io/fs"

	"github.com/pelcro-oss/pelcro-api/internal/pg"
)

//go:embed sql/*.sql
var files embed.FS

// versionTable records applied read-model migrations. Renaming it replays every migration: don't.
const versionTable = "pelcro_readmodel_migrations"

// Apply brings the read-model schema up to date.
func Apply(ctx context.Context, db *sql.DB) error {
	return pg.Migrate(ctx, db, sqlFiles(), versionTable)
}

// Check returns pg.ErrNotMigrated when the read-model schema lacks a migration; it changes nothing.
func Check(ctx context.Context, db *sql.DB) error {
	return pg.CheckMigrated(ctx, db, sqlFiles(), versionTable)
}

// Fingerprint names the schema Apply builds (pg.Fingerprint): tests clone databases migrated once from a
// template named after it.
func Fingerprint() (string, error) {
	return pg.Fingerprint(sqlFiles())
}

func sqlFiles() fs.FS {
	sub, err := fs.Sub(files, "sql")
	if err != nil {
		panic(err) // "sql" is a valid path and files embeds it: this cannot happen
	}
	return sub
}
