package pg

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// Migrate applies the embedded SQL migrations in fsys to db, recording them in versionTable.
//
// Each migration set has its own version table: changing a set's table name makes goose think nothing was
// applied and replay every migration against an existing schema. A session-level advisory lock makes
// concurrent starts of several API instances safe.
func Migrate(ctx context.Context, db *sql.DB, fsys fs.FS, versionTable string) error {
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(lockID(versionTable)))
	if err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	provider, err := goose.NewProvider(goose.DialectPostgres, db, fsys,
		goose.WithTableName(versionTable), goose.WithSessionLocker(locker), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return fmt.Errorf("migrations %s: %w", versionTable, err)
	}
	if _, err := provider.Up(ctx); err != nil {
		return fmt.Errorf("migrations %s: %w", versionTable, err)
	}
	return nil
}

// lockID derives a stable advisory-lock id per migration set, so two sets can migrate at the same time.
func lockID(versionTable string) int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(versionTable))
	return int64(h.Sum64())
}
