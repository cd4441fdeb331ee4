package customerstreams

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/eventstore/postgres"
	"github.com/pelcro-oss/pelcro-api/projections"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

// TestRunningAgainFromBehindTheTablesChangesNothingAndFailsNothing runs the projection over a log that
// starts enough streams for its batches to COPY them, deletes its checkpoint (the runner supports that: it
// projects the whole log again), and runs it again: every COPY then meets rows already there, and must fall
// back to the conflict-checked statements within its batch instead of failing it.
func TestRunningAgainFromBehindTheTablesChangesNothingAndFailsNothing(t *testing.T) {
	t.Parallel()
	registry, err := aggregates.Merge(customer.Events, newsletter.Events)
	if err != nil {
		t.Fatal(err)
	}
	url, db := projectiontest.Database(t)
	logStatements(t, db)
	store, err := postgres.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	// given a log of new streams, projected once through batches that COPY
	last := appendLog(t, store, registry, manyEntries())
	if failures := runUntil(t, store, db, registry, last); failures != 0 {
		t.Fatalf("the first run counted %v failures", failures)
	}
	if got := copies(t, db); got["customer_stream_positions"] == 0 || got["newsletter_stream_emails"] == 0 {
		t.Fatalf("the first run's batches did not COPY (%v): this test would test nothing", got)
	}
	want := tables(t, db)
	// when the checkpoint is deleted and the projection runs again
	if _, err := db.Exec(`DELETE FROM projection_checkpoints`); err != nil {
		t.Fatal(err)
	}
	failures := runUntil(t, store, db, registry, last)
	// then the tables are unchanged and no batch failed
	if got := tables(t, db); got != want {
		t.Errorf("tables after running again:\n%s\nwant\n%s", got, want)
	}
	if failures != 0 {
		t.Errorf("running again counted %v projection failures, want none", failures)
	}
}

// appendLog appends log to store, each event after the last of its stream, and returns the last position.
func appendLog(t *testing.T, store eventstore.Store, registry *aggregates.Registry, log []logEntry) eventstore.Position {
	t.Helper()
	var last eventstore.Position
	for _, e := range log {
		enc, err := registry.Encode(e.data)
		if err != nil {
			t.Fatal(err)
		}
		md, _ := json.Marshal(aggregates.Metadata{SchemaVersion: enc.SchemaVersion})
		result, err := store.Append(t.Context(), e.stream, eventstore.Any(),
			eventstore.EventData{ID: uuid.New(), Type: enc.Name, Data: enc.Data, Metadata: md})
		if err != nil {
			t.Fatal(err)
		}
		last = result.Position
	}
	return last
}

// runUntil runs the projection until it reaches pos and returns the projection failures it counted.
func runUntil(t *testing.T, store eventstore.Store, db *sqlx.DB, registry *aggregates.Registry, pos eventstore.Position) float64 {
	t.Helper()
	metrics := prometheus.NewRegistry()
	runner, err := projections.NewRunner(projections.Config{Store: store, DB: db, Registry: registry, Metrics: metrics,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, Projection())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- runner.Run(ctx) }()
	defer func() { cancel(); <-done }()
	wait, stopWaiting := context.WithTimeout(t.Context(), time.Minute)
	defer stopWaiting()
	if err := runner.WaitFor(wait, pos, Name); err != nil {
		t.Fatalf("wait for %s: %v", pos, err)
	}
	families, err := metrics.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var failures float64
	for _, f := range families {
		if f.GetName() == "pelcro_projection_failures_total" {
			for _, m := range f.GetMetric() {
				failures += m.GetCounter().GetValue()
			}
		}
	}
	return failures
}
