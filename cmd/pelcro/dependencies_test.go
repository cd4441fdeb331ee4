package main

import (
	"database/sql"
	"net/url"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
)

// migratedDatabase is a fresh database set up by `pelcro migrate`, as an operator would before any other
// command, and returns its URL.
func migratedDatabase(t *testing.T) string {
	t.Helper()
	databaseURL := pgtest.NewDatabase(t)
	if _, errOut, err := runPelcro(t, "--database-url", databaseURL, "--eventstore-url", "", "migrate"); err != nil {
		t.Fatalf("migrate: %v\n%s", err, errOut)
	}
	return databaseURL
}

// readLikeCommands are the commands that need an installation set up and must never create one.
var readLikeCommands = [][]string{
	{"projections", "list"},
	{"projections", "status"},
	{"projections", "rebuild", "--all"},
	{"mail", "list"},
	{"catalog", "import", "../../examples/catalog.yaml"},
}

func TestCommandsOtherThanServeAndMigrateCreateNoDatabase(t *testing.T) {
	t.Parallel()
	for _, args := range readLikeCommands {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Parallel()
			// given a URL naming a database that does not exist
			databaseURL := pgtest.MissingDatabase(t)

			// when the command runs against it
			_, _, err := runPelcro(t, append([]string{"--database-url", databaseURL, "--eventstore-url", ""}, args...)...)

			// then it fails with one line saying so and what to do, and the database still does not exist
			want := `database does not exist`
			if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), `run "pelcro migrate"`) ||
				strings.Contains(err.Error(), "\n") {
				t.Fatalf("err = %v, want one line with %q and the command to run", err, want)
			}
			if databaseExists(t, databaseURL) {
				t.Fatalf("%s created the database", args[0])
			}
		})
	}
}

func TestCommandsOtherThanServeAndMigrateMigrateNothing(t *testing.T) {
	t.Parallel()
	for _, args := range readLikeCommands {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Parallel()
			// given an existing database nothing was migrated in
			databaseURL := pgtest.NewDatabase(t)

			// when the command runs against it
			_, _, err := runPelcro(t, append([]string{"--database-url", databaseURL, "--eventstore-url", ""}, args...)...)

			// then it fails saying the schema is not set up, and left no table behind
			if err == nil || !strings.Contains(err.Error(), "schema is not up to date") {
				t.Fatalf("err = %v, want the schema refused", err)
			}
			if n := tableCount(t, databaseURL); n != 0 {
				t.Fatalf("%s created %d tables", args[0], n)
			}
		})
	}
}

func TestMigrateSetsUpWhatTheOtherCommandsNeed(t *testing.T) {
	t.Parallel()
	// given a database set up by `pelcro migrate`
	databaseURL := migratedDatabase(t)

	// when a read-like command runs, then it works
	if _, errOut, err := runPelcro(t, "--database-url", databaseURL, "--eventstore-url", "", "projections", "status"); err != nil {
		t.Fatalf("projections status after migrate: %v\n%s", err, errOut)
	}
}

// databaseExists tells whether the database databaseURL names exists.
func databaseExists(t *testing.T, databaseURL string) bool {
	t.Helper()
	u, err := url.Parse(databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	var exists bool
	if err := adminDB(t).QueryRow(`SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	return exists
}

func tableCount(t *testing.T, databaseURL string) int {
	t.Helper()
	db, err := pg.Connect(t.Context(), databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(t.Context(), `SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// adminDB is a connection to the test server's maintenance database, closed when the test ends.
func adminDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("postgres", pgtest.ServerURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}
