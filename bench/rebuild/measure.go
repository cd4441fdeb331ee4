package main

import (
	"context"
	"fmt"
	"time"

	"github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// readBatch is the page size of the read-only baseline: the rebuild's own default batch size.
const readBatch = 500

// readLog is the baseline: reading the whole log in rebuild-sized pages and doing nothing with it, the
// ceiling any rebuild through the store can reach.
func readLog(ctx context.Context, db *benchenv.Database) (benchenv.Measurement, error) {
	return benchenv.ReadLog(ctx, db.Store, "read the log only (`ReadAll`, 500-event pages)", readBatch)
}

// rebuild times projections.Rebuild of p over the whole log, swap included, and counts the events it read
// through its progress callback.
func rebuild(ctx context.Context, db *benchenv.Database, p projections.Projection) (benchenv.Measurement, error) {
	m := benchenv.Measurement{Name: fmt.Sprintf("`projections.Rebuild` of %s", p.Name)}
	start := time.Now()
	_, err := db.Rebuild(ctx, p, projections.WithRebuildProgress(func(read int, _ eventstore.Position) { m.Events = read }))
	m.Elapsed = time.Since(start)
	if err != nil {
		return m, fmt.Errorf("rebuild %s: %w", p.Name, err)
	}
	return m, nil
}

// checkRows verifies the rebuilt newsletters table holds one row per entry still subscribed, so a rebuild
// that applied nothing cannot pass for a fast one.
func checkRows(ctx context.Context, db *benchenv.Database, entries int) error {
	want := entries - (entries+4)/5 // every fifth entry (k % 5 == 0) ends unsubscribed
	var got int
	if err := db.DB.GetContext(ctx, &got, `SELECT count(*) FROM newsletters`); err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("the rebuilt newsletters table holds %d rows, want %d", got, want)
	}
	return nil
}
