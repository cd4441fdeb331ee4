package main

import (
	"context"
	"fmt"
	"time"

	"github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"
)

// statsFlush is how long the bench waits for PostgreSQL's backends to publish their counters: an idle
// backend reports its transactions to pg_stat_database within about ten seconds (PostgreSQL 15).
const statsFlush = 11 * time.Second

// cost is what the billing run spent, read before and after it: the process's and the database backends'
// CPU, the transactions the database committed (each autocommit statement is one) and the events appended.
type cost struct {
	cpu     benchenv.CPUSample
	commits int64
	events  int64
}

// sampleCost reads the counters now. The transaction count includes the deadline projection's and the
// store's feed queries, which belong to a billing run as much as the renewals do.
func sampleCost(ctx context.Context, db *benchenv.Database) (cost, error) {
	var c cost
	var err error
	if c.cpu, err = db.SampleCPU(ctx); err != nil {
		return c, err
	}
	if _, err := db.DB.ExecContext(ctx, `SELECT pg_stat_clear_snapshot()`); err != nil {
		return c, err
	}
	err = db.DB.QueryRowxContext(ctx, `SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()),
		(SELECT coalesce(max(seq), 0) FROM events)`).Scan(&c.commits, &c.events)
	return c, err
}

// perRenewal says what one renewal cost between before and after.
func perRenewal(before, after cost, renewals int) string {
	process, database := after.cpu.Since(before.cpu)
	n := float64(renewals)
	return fmt.Sprintf("per renewal: Go CPU %s, database CPU %s, %.1f committed transactions, %.1f events appended\n",
		(process / time.Duration(renewals)).Round(time.Microsecond), (database / time.Duration(renewals)).Round(time.Microsecond),
		float64(after.commits-before.commits)/n, float64(after.events-before.events)/n)
}
