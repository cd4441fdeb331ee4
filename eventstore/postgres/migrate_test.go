package postgres

import (
	"fmt"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
)

func TestMigrateIsRepeatableAndKeepsItsOwnVersionTable(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db, err := pg.Open(ctx, pgtest.NewDatabase(t))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	// Given a database migrated once, when it is migrated again, then nothing fails.
	for range 2 {
		if err := Migrate(ctx, db.DB); err != nil {
			t.Fatalf("migrate: %v", err)
		}
	}
	// Then the versions live in the event store's own table, leaving goose's default table to the read models.
	var tables []string
	err = db.SelectContext(ctx, &tables, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = 'public' ORDER BY table_name`)
	if err != nil {
		t.Fatalf("list tables: %v", err)
	}
	if want := "[events pelcro_eventstore_migrations]"; fmt.Sprint(tables) != want {
		t.Fatalf("tables = %v, want %s", tables, want)
	}
}
