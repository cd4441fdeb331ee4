package main

import (
	"context"
	"fmt"
	"time"

	"github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// rebuild times projections.Rebuild of p over the whole log, swap included, counts the events it read
// through its progress callback and the rows p's tables hold once it is done.
func rebuild(ctx context.Context, db *benchenv.Database, p projections.Projection) (benchenv.Measurement, error) {
	m := benchenv.Measurement{Name: fmt.Sprintf("`projections.Rebuild` of %s", p.Name)}
	start := time.Now()
	_, err := db.Rebuild(ctx, p, projections.WithRebuildProgress(func(read int, _ eventstore.Position) { m.Events = read }))
	m.Elapsed = time.Since(start)
	if err != nil {
		return m, fmt.Errorf("rebuild %s: %w", p.Name, err)
	}
	for _, table := range p.Tables {
		var rows int
		if err := db.DB.GetContext(ctx, &rows, `SELECT count(*) FROM `+table); err != nil {
			return m, err
		}
		m.Rows += rows
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
