package pg_test

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
)

var errPrepare = errors.New("prepare failed")

func TestWarmOpensConnectionsAheadOfLoadAndKeepsThem(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		ask       int
		failOn    int // the prepare call that fails; 0: none
		wantConns int // -1: as many as the pool may hold
	}{
		{"a few", 3, 0, 3},
		{"more than the pool may hold", 500, 0, -1},
		{"one prepare fails", 4, 2, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Given a fresh pool with one connection open,
			ctx := t.Context()
			db, err := pg.Open(ctx, pgtest.KeepingIdle(pgtest.NewDatabase(t)))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = db.Close() })
			if tc.wantConns < 0 {
				tc.wantConns = db.Stats().MaxOpenConnections
			}
			// when it is warmed with a prepare that notes each backend it runs on,
			var (
				mu    sync.Mutex
				pids  = map[int]bool{}
				calls int
			)
			err = pg.Warm(ctx, db.DB, tc.ask, func(ctx context.Context, conn *sql.Conn) error {
				var pid int
				if err := conn.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
					return err
				}
				mu.Lock()
				defer mu.Unlock()
				pids[pid], calls = true, calls+1
				if calls == tc.failOn {
					return errPrepare
				}
				return nil
			})
			// then it ran on as many distinct connections as asked (up to the pool's limit), reports a failed
			// prepare, and the pool keeps them all idle.
			if (tc.failOn != 0) != errors.Is(err, errPrepare) || (tc.failOn == 0 && err != nil) {
				t.Fatalf("Warm = %v, want the prepare error only when one failed", err)
			}
			if len(pids) != tc.wantConns {
				t.Fatalf("prepared on %d backends, want %d", len(pids), tc.wantConns)
			}
			if stats := db.Stats(); stats.Idle != tc.wantConns {
				t.Fatalf("%d idle connections after warming, want %d", stats.Idle, tc.wantConns)
			}
		})
	}
}
