package postgres

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
)

// TestAPreparedStatementIsHandedOutWhileAnotherWaitsForAConnection is the pool-exhaustion case: a caller
// holding the pool's only connection asks for a statement already prepared while another caller prepares a
// new query and so waits for that connection. Handing out the prepared one must not wait for the prepare,
// or neither caller would ever go on.
func TestAPreparedStatementIsHandedOutWhileAnotherWaitsForAConnection(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	defer cancel()
	db := openTestPool(t, ctx)
	db.SetMaxOpenConns(1)
	stmts := newStatements(db)
	defer stmts.close()

	// Given a prepared statement, and a transaction holding the pool's only connection.
	if _, err := stmts.get(ctx, "SELECT 1"); err != nil {
		t.Fatalf("prepare: %v", err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	// And a caller preparing a new query, which waits for that connection.
	prepared := make(chan error, 1)
	go func() {
		_, err := stmts.get(ctx, "SELECT 2")
		prepared <- err
	}()
	time.Sleep(100 * time.Millisecond) // let it reach the pool's queue

	// When the transaction asks for the prepared statement.
	handed := make(chan *sql.Stmt, 1)
	go func() {
		stmt, _ := stmts.get(ctx, "SELECT 1")
		handed <- stmt
	}()

	// Then it gets it at once, runs it, and its commit lets the other caller prepare.
	select {
	case stmt := <-handed:
		var one int
		if err := tx.StmtContext(ctx, stmt).QueryRowContext(ctx).Scan(&one); err != nil || one != 1 {
			t.Fatalf("run the prepared statement in the transaction: %d, %v", one, err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a prepared statement waited behind a prepare that waits for the caller's own connection")
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-prepared; err != nil {
		t.Fatalf("the waiting prepare: %v", err)
	}
}

// TestConcurrentFirstUsesOfAQueryShareOneStatement: callers preparing the same query at once all get the
// statement the first of them stored, and a prepare that ends after close is refused and released.
func TestConcurrentFirstUsesOfAQueryShareOneStatement(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	defer cancel()
	db := openTestPool(t, ctx)
	stmts := newStatements(db)

	// Given eight callers using a query for the first time, at once.
	got := make([]*sql.Stmt, 8)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() {
			stmt, err := stmts.get(ctx, "SELECT 3")
			if err != nil {
				t.Errorf("get: %v", err)
			}
			got[i] = stmt
		})
	}
	wg.Wait()

	// Then they all hold one statement, which runs.
	for i, stmt := range got {
		if stmt != got[0] {
			t.Fatalf("caller %d got another statement than caller 0", i)
		}
	}
	var three int
	if err := got[0].QueryRowContext(ctx).Scan(&three); err != nil || three != 3 {
		t.Fatalf("run the shared statement: %d, %v", three, err)
	}

	// When the statements are closed, a prepare finished afterwards is not kept.
	late, err := db.PrepareContext(ctx, "SELECT 4")
	if err != nil {
		t.Fatal(err)
	}
	if err := stmts.close(); err != nil {
		t.Fatal(err)
	}
	if _, err := stmts.keep("SELECT 4", late); !errors.Is(err, ErrClosed) {
		t.Fatalf("keep after close = %v, want ErrClosed", err)
	}
	if _, err := stmts.get(ctx, "SELECT 3"); !errors.Is(err, ErrClosed) {
		t.Fatalf("get after close = %v, want ErrClosed", err)
	}
}

// openTestPool opens a pool on a fresh database of its own, closed when the test ends.
func openTestPool(t *testing.T, ctx context.Context) *sql.DB {
	t.Helper()
	db, err := pg.Open(ctx, pgtest.NewDatabase(t))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db.DB
}
