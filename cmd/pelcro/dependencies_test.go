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
	{"apikeys", "list"},
	{"catalog", "import", "../../examples/catalog.yaml"},
	{"events", "stream", "customer-1"},
	{"events", "tail"},
	{"audit", "customer", "1"},
	{"customers", "show", "1", "--as-of", "2026-01-01"},
	{"projections", "verify"},
}

func TestCommandsOtherThanServeAndMigrateSetUpNothing(t *testing.T) {
	t.Parallel()
	installations := []struct {
		name string
		// database returns the URL of the installation's database.
		database func(t pgtest.TB) string
		// want is in the one-line refusal; untouched checks the installation afterwards.
		want      string
		untouched func(t *testing.T, databaseURL string) bool
	}{
		{"no database", pgtest.MissingDatabase, "database does not exist",
			func(t *testing.T, databaseURL string) bool { return !databaseExists(t, databaseURL) }},
		{"a database nothing was migrated in", pgtest.NewDatabase, "schema is not up to date",
			func(t *testing.T, databaseURL string) bool { return tableCount(t, databaseURL) == 0 }},
	}
	for _, installation := range installations {
		for _, args := range readLikeCommands {
			t.Run(installation.name+"/"+strings.Join(args, " "), func(t *testing.T) {
				t.Parallel()
				// given the installation
				databaseURL := installation.database(t)

				// when the command runs against it
				_, _, err := runPelcro(t, append([]string{"--database-url", databaseURL, "--eventstore-url", ""}, args...)...)

				// then it fails with one line saying what is missing and what to run, and set up nothing
				if err == nil || !strings.Contains(err.Error(), installation.want) ||
					!strings.Contains(err.Error(), `run "pelcro migrate"`) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("err = %v, want one line with %q and the command to run", err, installation.want)
				}
				if !installation.untouched(t, databaseURL) {
					t.Fatalf("%s set up the database", args[0])
				}
			})
		}
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
