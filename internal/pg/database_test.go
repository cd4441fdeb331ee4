package pg_test

import (
	"context"
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
