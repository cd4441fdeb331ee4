package pg_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
)

// oneConnection connects to a fresh database through a pool of one connection, so every query of a test
// runs in the same session and the session's prepared statements can be counted.
func oneConnection(t *testing.T) (*sqlx.DB, context.Context) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	db, err := pg.Connect(ctx, pgtest.KeepingIdle(pgtest.NewDatabase(t))+"&"+pg.PoolSizeParam+"=1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db, ctx
}

// prepared counts the session's prepared statements whose text is query.
func prepared(t *testing.T, ctx context.Context, db *sqlx.DB, query string) int {
	t.Helper()
	var n int
	if err := db.GetContext(ctx, &n, `SELECT count(*) FROM pg_prepared_statements WHERE statement = '`+
		strings.ReplaceAll(query, "'", "''")+`'`); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAQueryWithArgumentsIsPreparedOnceAndReused(t *testing.T) {
	t.Parallel()
	db, ctx := oneConnection(t)
	cases := []struct {
		name, query  string
		args         []any
		wantPrepared int
	}{
		{name: "with arguments", query: `SELECT $1::int + 1`, args: []any{41}, wantPrepared: 1},
		{name: "without arguments", query: `SELECT 41 + 1`, wantPrepared: 0},
	}
	for _, tc := range cases {
		// when the query runs three times on one connection
		for range 3 {
			var got int
			if err := db.GetContext(ctx, &got, tc.query, tc.args...); err != nil || got != 42 {
				t.Fatalf("%s: got %d, %v; want 42", tc.name, got, err)
			}
		}
		// then it answered each time, and the session holds it prepared once (or not at all without arguments)
		if n := prepared(t, ctx, db, tc.query); n != tc.wantPrepared {
			t.Errorf("%s: prepared %d times, want %d", tc.name, n, tc.wantPrepared)
		}
	}
}

func TestAPreparedQueryReadsTheTableItNamesNow(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// change runs between two runs of read; read must then see "after"
		change func(ctx context.Context, db *sqlx.DB) error
		read   func(ctx context.Context, db *sqlx.DB) (string, error)
	}{
		{
			name: "a rebuilt table renamed in place of the old one",
			change: func(ctx context.Context, db *sqlx.DB) error {
				_, err := db.ExecContext(ctx, `ALTER TABLE items RENAME TO items_old;
					CREATE TABLE items (id int PRIMARY KEY, label text NOT NULL); INSERT INTO items VALUES (1, 'after')`)
				return err
			},
			read: func(ctx context.Context, db *sqlx.DB) (label string, err error) {
				return label, db.GetContext(ctx, &label, `SELECT label FROM items WHERE id = $1`, 1)
			},
		},
		{
			name: "another schema first on the search path of a transaction",
			change: func(ctx context.Context, db *sqlx.DB) error {
				_, err := db.ExecContext(ctx, `CREATE SCHEMA past; CREATE TABLE past.items (id int PRIMARY KEY, label text NOT NULL);
					INSERT INTO past.items VALUES (1, 'after')`)
				return err
			},
			read: func(ctx context.Context, db *sqlx.DB) (label string, err error) {
				tx, err := db.BeginTxx(ctx, nil)
				if err != nil {
					return "", err
				}
				defer func() { _ = tx.Rollback() }()
				var inPast bool
				if err := tx.GetContext(ctx, &inPast, `SELECT count(*) > 0 FROM pg_namespace WHERE nspname = 'past'`); err != nil {
					return "", err
				}
				if inPast {
					if _, err := tx.ExecContext(ctx, `SET LOCAL search_path TO past, public`); err != nil {
						return "", err
					}
				}
				return label, tx.GetContext(ctx, &label, `SELECT label FROM items WHERE id = $1`, 1)
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a table read through a prepared query
			db, ctx := oneConnection(t)
			if _, err := db.ExecContext(ctx, `CREATE TABLE items (id int PRIMARY KEY, label text NOT NULL);
				INSERT INTO items VALUES (1, 'before')`); err != nil {
				t.Fatal(err)
			}
			if got, err := tc.read(ctx, db); err != nil || got != "before" {
				t.Fatalf("first read: %q, %v", got, err)
			}
			// when another table takes its name, then the same query reads that one
			if err := tc.change(ctx, db); err != nil {
				t.Fatal(err)
			}
			if got, err := tc.read(ctx, db); err != nil || got != "after" {
				t.Fatalf("read after the change: %q, %v; want %q", got, err, "after")
			}
		})
	}
}

func TestTheStatementsOfAConnectionStayBounded(t *testing.T) {
	t.Parallel()
	db, ctx := oneConnection(t)
	// when more distinct queries run than a connection keeps
	for i := range pg.StatementCacheSize + 20 {
		var got int
		if err := db.GetContext(ctx, &got, fmt.Sprintf(`SELECT $1::int + %d`, i), 1); err != nil || got != i+1 {
			t.Fatalf("query %d: %d, %v", i, got, err)
		}
	}
	// then the session holds no more than that many prepared, and the evicted ones still run
	var n int
	if err := db.GetContext(ctx, &n, `SELECT count(*) FROM pg_prepared_statements`); err != nil {
		t.Fatal(err)
	}
	if n > pg.StatementCacheSize {
		t.Errorf("%d statements prepared, want at most %d", n, pg.StatementCacheSize)
	}
	var got int
	if err := db.GetContext(ctx, &got, `SELECT $1::int + 0`, 7); err != nil || got != 7 {
		t.Errorf("evicted query: %d, %v", got, err)
	}
}

func TestAStatementDeallocatedBehindTheCacheIsPreparedAgain(t *testing.T) {
	t.Parallel()
	// given a prepared query, then every statement of the session deallocated by hand
	db, ctx := oneConnection(t)
	var got int
	if err := db.GetContext(ctx, &got, `SELECT $1::int`, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `DEALLOCATE ALL`); err != nil {
		t.Fatal(err)
	}
	// when the query runs again, then it is prepared afresh and answers, the caller none the wiser
	if err := db.GetContext(ctx, &got, `SELECT $1::int`, 2); err != nil || got != 2 {
		t.Fatalf("after DEALLOCATE ALL: %d, %v; want 2", got, err)
	}
	// and inside a transaction, where the failed statement has aborted it, the error reaches the caller once
	if _, err := db.ExecContext(ctx, `DEALLOCATE ALL`); err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.GetContext(ctx, &got, `SELECT $1::int`, 3); err == nil {
		t.Fatal("a deallocated statement ran inside a transaction without an error")
	}
	_ = tx.Rollback()
	if err := db.GetContext(ctx, &got, `SELECT $1::int`, 4); err != nil || got != 4 {
		t.Fatalf("after the transaction: %d, %v; want 4", got, err)
	}
}
