package main

import (
	"context"
	"fmt"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/projections"
	customerprojection "github.com/pelcro-oss/pelcro-api/projections/customer"
)

// readPage is the page size of the read-only pass: the rebuild's own default batch size.
const readPage = 2000

// storeOf is db's event store as a pass reads it: as it is, or through a fresh sealing store (a cold key
// cache, as in a new process) when sealed; with the name the pass reports.
func storeOf(ctx context.Context, db *benchenv.Database, sealed bool) (string, eventstore.Store, error) {
	if !sealed {
		return "plaintext", db.Store, nil
	}
	sealing, err := sealingStore(ctx, db)
	return "sealed", sealing, err
}

// readLog is a read-only pass over db's whole log, opening the sealed fields when sealed and doing nothing
// more: what sealing costs reading alone, without a projection's writes around it.
func readLog(ctx context.Context, db *benchenv.Database, sealed bool) (benchenv.Measurement, error) {
	name, store, err := storeOf(ctx, db, sealed)
	if err != nil {
		return benchenv.Measurement{}, err
	}
	return benchenv.ReadLog(ctx, store, name, readPage)
}

// rebuild times projections.Rebuild of customers.v1 over db's log, swap included, then checks the rebuilt
// table holds every customer with their latest email and name, so a rebuild that read nothing (or could not
// open the sealed fields) cannot pass for a fast one.
func rebuild(ctx context.Context, db *benchenv.Database, sealed bool, customers int) (benchenv.Measurement, error) {
	name, store, err := storeOf(ctx, db, sealed)
	m := benchenv.Measurement{Name: name}
	if err != nil {
		return m, err
	}
	cfg := projections.Config{Store: store, DB: db.DB, Registry: customer.Events}
	start := time.Now()
	_, err = projections.Rebuild(ctx, cfg, customerprojection.Projection(),
		projections.WithRebuildProgress(func(read int, _ eventstore.Position) { m.Events = read }))
	m.Elapsed = time.Since(start)
	if err != nil {
		return m, fmt.Errorf("rebuild %s: %w", m.Name, err)
	}
	var rows int
	if err := db.DB.GetContext(ctx, &rows, `SELECT count(*) FROM customers WHERE email LIKE 'changed%@mail.example.org'
		AND first_name = 'Adaline'`); err != nil {
		return m, err
	}
	if rows != customers {
		return m, fmt.Errorf("the %s rebuild left %d customers with their latest email and name, want %d", m.Name, rows, customers)
	}
	return m, nil
}
