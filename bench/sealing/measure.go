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

// measurement is one rebuild: which log, how many events it read and how long it took.
type measurement struct {
	name    string
	events  int
	elapsed time.Duration
}

func (m measurement) perSecond() float64 { return float64(m.events) / m.elapsed.Seconds() }

// readPage is the page size of the read-only pass: the rebuild's own default batch size.
const readPage = 2000

// readLog is a read-only pass over db's whole log (through a fresh sealing store when sealed), opening and
// decoding nothing more: what sealing costs reading alone, without a projection's writes around it.
func readLog(ctx context.Context, db *benchenv.Database, sealed bool) (measurement, error) {
	m := measurement{name: "plaintext"}
	var store eventstore.Store = db.Store
	if sealed {
		m.name = "sealed"
		sealing, err := sealingStore(ctx, db)
		if err != nil {
			return m, err
		}
		store = sealing
	}
	start, from := time.Now(), eventstore.AllStart()
	for {
		events, err := store.ReadAll(ctx, from, readPage)
		if err != nil {
			return m, err
		}
		m.events += len(events)
		if len(events) < readPage {
			m.elapsed = time.Since(start)
			return m, nil
		}
		from = eventstore.AllAfter(events[len(events)-1].Position)
	}
}

// rebuild times projections.Rebuild of customers.v1 over db's log (through a fresh sealing store when
// sealed), swap included, then checks the rebuilt table holds every customer with their latest email, so a
// rebuild that read nothing (or could not open the sealed fields) cannot pass for a fast one.
func rebuild(ctx context.Context, db *benchenv.Database, sealed bool, customers int) (measurement, error) {
	m := measurement{name: "plaintext"}
	var store eventstore.Store = db.Store
	if sealed {
		m.name = "sealed"
		sealing, err := sealingStore(ctx, db)
		if err != nil {
			return m, err
		}
		store = sealing
	}
	cfg := projections.Config{Store: store, DB: db.DB, Registry: customer.Events}
	start := time.Now()
	_, err := projections.Rebuild(ctx, cfg, customerprojection.Projection(),
		projections.WithRebuildProgress(func(read int, _ eventstore.Position) { m.events = read }))
	m.elapsed = time.Since(start)
	if err != nil {
		return m, fmt.Errorf("rebuild %s: %w", m.name, err)
	}
	var rows int
	if err := db.DB.GetContext(ctx, &rows, `SELECT count(*) FROM customers WHERE email LIKE 'changed%@mail.example.org'
		AND first_name = 'Adaline'`); err != nil {
		return m, err
	}
	if rows != customers {
		return m, fmt.Errorf("the %s rebuild left %d customers with their latest email and name, want %d", m.name, rows, customers)
	}
	return m, nil
}
