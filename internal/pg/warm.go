package pg

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// WarmConnections is how many connections a long-running process opens ahead of load in each of its pools
// (see Warm): half the default pool size, so a server at rest does not hold every backend it may ever need
// while the first burst of load still finds most of them open.
const WarmConnections = 16

// Warm opens n connections of db at once (at most the pool's limit), runs prepare on each (nil: nothing
// beyond the connection itself; it must use only the connection it is given: the pool may have no other
// free) and hands them back to the pool, which keeps them idle (Connect keeps as
// many idle as may be open) until they pass the pool's idle time unused (PoolIdleTimeParam, 5 minutes by
// default).
//
// Why: a pool grows under load, one connection at a time, each a fresh PostgreSQL backend (a fork,
// authentication, empty catalog caches) that must prepare every statement it runs again, while the requests
// that asked for it queue. Measured on the event store's pool at 1,000 appends a second, the phase in which
// it grew from 2 to 32 connections had a p99 several times that of the next.
//
// Warm holds every connection it opened until all are open, so the pool cannot hand one back twice; call it
// before the pool carries load. It returns every error, joined; the connections opened stay in the pool.
func Warm(ctx context.Context, db *sql.DB, n int, prepare func(context.Context, *sql.Conn) error) error {
	if limit := db.Stats().MaxOpenConnections; limit > 0 {
		n = min(n, limit)
	}
	var (
		opened, done sync.WaitGroup
		mu           sync.Mutex
		errs         []error
	)
	opened.Add(n)
	for range n {
		done.Go(func() {
			conn, err := db.Conn(ctx)
			if err == nil && prepare != nil {
				err = prepare(ctx, conn)
			}
			opened.Done()
			if err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
			opened.Wait()
			if conn != nil {
				_ = conn.Close() // back to the pool
			}
		})
	}
	done.Wait()
	return errors.Join(errs...)
}
