package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"
	"github.com/pelcro-oss/pelcro-api/operator"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// replayRounds measures what `pelcro replay --into` does: every projection rebuilt from the log into a fresh
// database in one pass over the log (operator.Replay, one database per round, created and migrated untimed),
// against COPY of all the rows the replay produced into the same fresh database. It returns the Markdown lines of the result.
func replayRounds(ctx context.Context, db *benchenv.Database, opts options, all []projections.Projection) (string, error) {
	registry, err := aggregates.Merge(catalog.Events, newsletter.Events)
	if err != nil {
		return "", err
	}
	var replays, copies []benchenv.Measurement
	for round := range opts.rounds {
		into, err := benchenv.Open(ctx, opts.serverURL, fmt.Sprintf("replay%d", round))
		if err != nil {
			return "", err
		}
		r, c, err := replayOnce(ctx, db, into, registry, all)
		into.Drop()
		if err != nil {
			return "", err
		}
		fmt.Printf("# round %d replay %6.2f s (%d rows; CPU %s)  COPY %6.2f s (CPU %s)  ratio %.2f\n", round+1,
			r.Elapsed.Seconds(), r.Rows, cpu(r), c.Elapsed.Seconds(), cpu(c), speedRatio(r, c))
		replays, copies = append(replays, r), append(copies, c)
	}
	r, c := benchenv.Median(replays), benchenv.Median(copies)
	rounds := make([]string, len(replays))
	for i := range replays {
		rounds[i] = fmt.Sprintf("%.2f×", speedRatio(replays[i], copies[i]))
	}
	return fmt.Sprintf("\n| replay of %d projections | final rows | replay s | replay rows/s | replay CPU s: Go + PostgreSQL | COPY s | COPY rows/s | COPY CPU s: Go + PostgreSQL | replay / COPY (medians) | each round | target |\n"+
		"|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n"+
		"| %d newsletter events + catalog | %d | %.2f | %.0f | %s | %.2f | %.0f | %s | %.2f× | %s | ≥ %.1f× |\n",
		len(all), opts.events, r.Rows, r.Elapsed.Seconds(), r.RowsPerSecond(), cpu(r), c.Elapsed.Seconds(), c.RowsPerSecond(),
		cpu(c), speedRatio(r, c), strings.Join(rounds, ", "), target), nil
}

// replayOnce replays every projection into the fresh database into, then COPYs the rows it produced into
// copies of its tables there.
func replayOnce(ctx context.Context, db, into *benchenv.Database, registry *aggregates.Registry, all []projections.Projection) (r, c benchenv.Measurement, err error) {
	cfg := projections.Config{Store: db.Store, DB: into.DB, Registry: registry}
	var tables []string
	r, err = withCPUOfBoth(ctx, db, into, func() (benchenv.Measurement, error) {
		m := benchenv.Measurement{Name: "`operator.Replay` of every projection"}
		start := time.Now()
		replayed, err := operator.Replay(ctx, cfg, all)
		if err != nil {
			return m, err
		}
		m.Elapsed = time.Since(start)
		for _, r := range replayed {
			for _, d := range r.Tables {
				m.Rows += int(d.Rows)
				tables = append(tables, d.Table)
			}
		}
		return m, nil
	})
	if err != nil {
		return r, c, err
	}
	rows, err := benchenv.SnapshotTables(ctx, into.DB.DB, tables)
	if err != nil {
		return r, c, err
	}
	c, err = into.WithCPU(ctx, func() (benchenv.Measurement, error) { return benchenv.CopyBaseline(ctx, into.DB.DB, rows) })
	return r, c, err
}

// withCPUOfBoth is WithCPU counting the backends of both databases: a replay reads the log from one and writes
// the read models into the other.
func withCPUOfBoth(ctx context.Context, a, b *benchenv.Database, pass func() (benchenv.Measurement, error)) (benchenv.Measurement, error) {
	var inner benchenv.Measurement
	m, err := a.WithCPU(ctx, func() (benchenv.Measurement, error) {
		var err error
		inner, err = b.WithCPU(ctx, pass)
		return inner, err
	})
	m.DatabaseCPU += inner.DatabaseCPU
	return m, err
}
