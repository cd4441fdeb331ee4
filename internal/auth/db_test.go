package auth_test

import (
	"context"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest/migratedtest"
)

// newDB returns a fresh database with the read-model migrations applied; it fails the test when PostgreSQL
// is unreachable.
func newDB(t *testing.T) *sqlx.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := pg.Open(ctx, migratedtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// clock is a settable test clock, safe for concurrent reads.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }
