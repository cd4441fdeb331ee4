package pg

import (
	"context"
	"database/sql"
	"errors"
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
	provider, err := newProvider(db, fsys, versionTable, goose.WithSessionLocker(locker))
	if err != nil {
		return err
	}
	if _, err := provider.Up(ctx); err != nil {
		return fmt.Errorf("migrations %s: %w", versionTable, err)
	}
	return nil
}

// ErrNotMigrated is what CheckMigrated returns (wrapped) for a schema missing some migration.
var ErrNotMigrated = errors.New("schema is not up to date")

// CheckMigrated returns ErrNotMigrated when some migration in fsys was not applied to db (none at all, or
// the database predates this binary), and changes nothing: the version table is looked for before goose,
// which would create it, is asked.
func CheckMigrated(ctx context.Context, db *sql.DB, fsys fs.FS, versionTable string) error {
	var exists bool
	if err := db.QueryRowContext(ctx, `SELECT to_regclass($1) IS NOT NULL`, versionTable).Scan(&exists); err != nil {
		return fmt.Errorf("migrations %s: %w", versionTable, err)
	}
	if !exists {
		return fmt.Errorf("%w: no migration of %s was applied", ErrNotMigrated, versionTable)
	}
	provider, err := newProvider(db, fsys, versionTable)
	if err != nil {
		return err
	}
	pending, err := provider.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("migrations %s: %w", versionTable, err)
	}
	if pending {
		return fmt.Errorf("%w: %s lacks migrations this version needs", ErrNotMigrated, versionTable)
	}
	return nil
}

func newProvider(db *sql.DB, fsys fs.FS, versionTable string, opts ...goose.ProviderOption) (*goose.Provider, error) {
	opts = append(opts, goose.WithTableName(versionTable), goose.WithDisableGlobalRegistry(true))
	provider, err := goose.NewProvider(goose.DialectPostgres, db, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("migrations %s: %w", versionTable, err)
	}
	return provider, nil
}

// lockID derives a stable advisory-lock id per migration set, so two sets can migrate at the same time.
func lockID(versionTable string) int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(versionTable))
	return int64(h.Sum64())
}
