package pg_test

import (
	"context"
	"errors"
	"net/url"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
)

func TestOpenCreatesAMissingDatabaseOnce(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// given a URL naming a database that does not exist yet (a fresh one, dropped, keeps cleanup automatic)
	dsn := pgtest.NewDatabase(t)
	dropForTest(t, dsn)

	// when several processes open it at the same time
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := pg.Open(ctx, dsn)
			if err == nil {
				err = db.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()

	// then all succeed: the database was created exactly once and the losers of the race accepted it
	for i, err := range errs {
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
	}
}

func TestMigrateAppliesOnceAndIsRepeatable(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := pg.Open(ctx, pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// given a migration set
	files := fstest.MapFS{"00001_widgets.sql": {Data: []byte(
		"-- +goose Up\nCREATE TABLE widgets (id int PRIMARY KEY);\n-- +goose Down\nDROP TABLE widgets;\n")}}

	// when it is applied twice, concurrently and then again
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = pg.Migrate(ctx, db.DB, files, "widgets_migrations") }()
	}
	wg.Wait()
	errs = append(errs, pg.Migrate(ctx, db.DB, files, "widgets_migrations"))

	// then every run succeeds and the table exists once
	for i, err := range errs {
		if err != nil {
			t.Fatalf("migrate %d: %v", i, err)
		}
	}
	var n int
	if err := db.GetContext(ctx, &n, `SELECT count(*) FROM information_schema.tables WHERE table_name = 'widgets'`); err != nil || n != 1 {
		t.Fatalf("widgets tables = %d, err %v", n, err)
	}
}

func TestRedactHidesThePassword(t *testing.T) {
	t.Parallel()
	got := pg.Redact("postgres://user:secret@db:5432/pelcro")
	if u, _ := url.Parse(got); u == nil || u.User.String() == "user:secret" {
		t.Fatalf("Redact kept the password: %s", got)
	}
}

func dropForTest(t *testing.T, dsn string) {
	t.Helper()
	u, _ := url.Parse(dsn)
	admin, err := pg.Open(context.Background(), pgtest.ServerURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`DROP DATABASE ` + u.Path[1:]); err != nil {
		t.Fatal(err)
	}
}

func TestConnectAndCheckMigratedCreateNothing(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	files := fstest.MapFS{"00001_widgets.sql": {Data: []byte(
		"-- +goose Up\nCREATE TABLE widgets (id int PRIMARY KEY);\n-- +goose Down\nDROP TABLE widgets;\n")}}

	// when Connect is given a database that does not exist, then it says so and creates nothing
	missing := pgtest.MissingDatabase(t)
	if _, err := pg.Connect(ctx, missing); !errors.Is(err, pg.ErrNoDatabase) {
		t.Fatalf("Connect to a missing database = %v, want ErrNoDatabase", err)
	}
	if _, err := pg.Connect(ctx, missing); !errors.Is(err, pg.ErrNoDatabase) {
		t.Fatalf("second Connect = %v: the first created the database", err)
	}

	// given an existing database
	db, err := pg.Connect(ctx, pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// when nothing was migrated, then the schema is refused, and checking created no version table
	if err := pg.CheckMigrated(ctx, db.DB, files, "widgets_migrations"); !errors.Is(err, pg.ErrNotMigrated) {
		t.Fatalf("CheckMigrated before Migrate = %v, want ErrNotMigrated", err)
	}
	var created bool
	if err := db.GetContext(ctx, &created, `SELECT to_regclass('widgets_migrations') IS NOT NULL`); err != nil || created {
		t.Fatalf("version table created by the check: %v, %v", created, err)
	}
	// when it was migrated, then it passes
	if err := pg.Migrate(ctx, db.DB, files, "widgets_migrations"); err != nil {
		t.Fatal(err)
	}
	if err := pg.CheckMigrated(ctx, db.DB, files, "widgets_migrations"); err != nil {
		t.Fatalf("CheckMigrated after Migrate = %v", err)
	}
	// and when a newer binary brings another migration, then the schema is behind again
	files["00002_gadgets.sql"] = &fstest.MapFile{Data: []byte(
		"-- +goose Up\nCREATE TABLE gadgets (id int PRIMARY KEY);\n-- +goose Down\nDROP TABLE gadgets;\n")}
	if err := pg.CheckMigrated(ctx, db.DB, files, "widgets_migrations"); !errors.Is(err, pg.ErrNotMigrated) {
		t.Fatalf("CheckMigrated with a new migration = %v, want ErrNotMigrated", err)
	}
}
