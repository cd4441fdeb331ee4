package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/pg"
)

// testSchema is a schema of one table under a fingerprint of the test's own, counting its builds; its
// template is dropped when the test ends.
func testSchema(t *testing.T, build func(ctx context.Context, url string) error) (Schema, *atomic.Int32) {
	fingerprint := randomSuffix(t)
	builds := new(atomic.Int32)
	t.Cleanup(func() { dropDatabase(t, "pelcro_template_test_"+fingerprint) })
	return Schema{Name: "test", Fingerprint: func() (string, error) { return fingerprint, nil },
		Build: func(ctx context.Context, url string) error { builds.Add(1); return build(ctx, url) }}, builds
}

func createNotes(ctx context.Context, url string) error {
	db, err := pg.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, `CREATE TABLE notes (body text)`)
	return err
}

func TestDatabasesOfASchemaAreClonesOfOneBuild(t *testing.T) {
	t.Parallel()
	// given a schema of one table
	schema, builds := testSchema(t, createNotes)

	// when two tests' databases are made of it, and one writes to its copy
	first, second := open(t, NewDatabaseOf(t, schema)), open(t, NewDatabaseOf(t, schema))
	if _, err := first.Exec(`INSERT INTO notes VALUES ('only here')`); err != nil {
		t.Fatal(err)
	}

	// then the schema was built once, both hold its table, and each database is its own
	var inSecond int
	if err := second.QueryRow(`SELECT count(*) FROM notes`).Scan(&inSecond); err != nil {
		t.Fatal(err)
	}
	if builds.Load() != 1 || inSecond != 0 {
		t.Fatalf("builds = %d, rows in the second database = %d; want 1 and 0", builds.Load(), inSecond)
	}
}

func TestABuildThatFailsLeavesNoTemplate(t *testing.T) {
	t.Parallel()
	// given a schema whose build fails half-way (its table created, then an error)
	broken := errors.New("migration 2 failed")
	schema, _ := testSchema(t, func(ctx context.Context, url string) error {
		return errors.Join(createNotes(ctx, url), broken)
	})

	// when its template is asked for
	_, err := ensureTemplate(schema)

	// then the error is the build's, and neither a template to be cloned by the next test nor the half-built
	// database is left
	if !errors.Is(err, broken) {
		t.Fatalf("err = %v, want the build's", err)
	}
	var left []string
	rows, err := open(t, ServerURL()).Query(`SELECT datname FROM pg_database WHERE datname LIKE '%' || $1`,
		"_test_"+mustFingerprint(t, schema))
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		_ = rows.Scan(&name)
		left = append(left, name)
	}
	if rows.Err() != nil || len(left) > 0 {
		t.Fatalf("databases left: %v (%v), want none", left, rows.Err())
	}
}

func mustFingerprint(t *testing.T, s Schema) string {
	fingerprint, err := s.Fingerprint()
	if err != nil {
		t.Fatal(err)
	}
	return fingerprint
}

func open(t *testing.T, url string) *sql.DB {
	db, err := pg.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db.DB
}
