package projections

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/eventstore/esdb"
	"github.com/pelcro-oss/pelcro-api/eventstore/esdbtest"
	"github.com/pelcro-oss/pelcro-api/eventstore/postgres"
	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest/migratedtest"
)

// The test domain: ticks on streams. tickIgnored is registered but handled by no projection.
type (
	ticked      struct{ N int }
	tickIgnored struct{}
)

func testRegistry(t testing.TB) *aggregates.Registry {
	t.Helper()
	reg := aggregates.NewRegistry()
	aggregates.MustRegister[ticked](reg, "test.ticked")
	aggregates.MustRegister[tickIgnored](reg, "test.ignored")
	return reg
}

// testEnv is one test's read-model database and event store.
type testEnv struct {
	t        *testing.T
	db       *sqlx.DB
	store    eventstore.Store
	registry *aggregates.Registry
	// liveBatch is the runners' LiveBatchSize; zero takes the default.
	liveBatch int
	// liveLinger is the runners' LiveLinger; zero reads at once.
	liveLinger time.Duration
}

// backend opens an event store for a test; the read models always live in PostgreSQL (dsn).
type backend struct {
	name string
	open func(t *testing.T, dsn string) eventstore.Store
}

var (
	postgresBackend = backend{"postgres", func(t *testing.T, dsn string) eventstore.Store {
		store, err := postgres.Open(testContext(t), dsn)
		if err != nil {
			t.Fatalf("open postgres store: %v", err)
		}
		t.Cleanup(func() { _ = store.Close() })
		return store
	}}
	esdbBackend = backend{"esdb", func(t *testing.T, _ string) eventstore.Store {
		store, err := esdb.Open(esdbtest.Start(t).URL())
		if err != nil {
			t.Fatalf("open esdb store: %v", err)
		}
		t.Cleanup(func() { _ = store.Close() })
		return store
	}}
)

func newEnv(t *testing.T, b backend) *testEnv {
	t.Helper()
	dsn := migratedtest.NewDatabase(t)
	db, err := pg.Open(testContext(t), dsn)
	if err != nil {
		t.Fatalf("open read-model database: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return &testEnv{t: t, db: db, store: b.open(t, dsn), registry: testRegistry(t)}
}

func testContext(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// exec runs SQL the test needs (tables, triggers, checkpoint resets).
func (e *testEnv) exec(query string, args ...any) {
	e.t.Helper()
	if _, err := e.db.ExecContext(testContext(e.t), query, args...); err != nil {
		e.t.Fatalf("exec %q: %v", query, err)
	}
}

// appendEvents appends one event per type name to stream and returns the position of the last.
func (e *testEnv) appendEvents(stream string, types ...string) eventstore.Position {
	e.t.Helper()
	events := make([]eventstore.EventData, len(types))
	for i, name := range types {
		data, _ := json.Marshal(ticked{N: i})
		events[i] = eventstore.EventData{ID: uuid.New(), Type: name, Data: data, Metadata: []byte(`{"schema_version":1}`)}
	}
	res, err := e.store.Append(testContext(e.t), stream, eventstore.Any(), events...)
	if err != nil {
		e.t.Fatalf("append to %s: %v", stream, err)
	}
	return res.Position
}

// ticks appends n test.ticked events to stream.
func (e *testEnv) ticks(stream string, n int) eventstore.Position {
	types := make([]string, n)
	for i := range types {
		types[i] = "test.ticked"
	}
	return e.appendEvents(stream, types...)
}

// runner builds a Runner with fast retries over the env.
func (e *testEnv) runner(reg prometheus.Registerer, projections ...Projection) *Runner {
	e.t.Helper()
	r, err := NewRunner(Config{
		Store: e.store, DB: e.db, Registry: e.registry, Metrics: reg,
		Logger:           slog.New(slog.NewTextHandler(io.Discard, nil)),
		Retry:            Retry{MaxRetries: 3, Backoff: Backoff{Initial: 5 * time.Millisecond, Max: 20 * time.Millisecond}},
		Resubscribe:      Backoff{Initial: 5 * time.Millisecond, Max: 20 * time.Millisecond},
		WaitPollInterval: 20 * time.Millisecond,
		LiveBatchSize:    e.liveBatch,
		LiveLinger:       e.liveLinger,
	}, projections...)
	if err != nil {
		e.t.Fatalf("new runner: %v", err)
	}
	return r
}

// start runs r in the background; the returned stop ends it and returns Run's result.
func start(t *testing.T, r *Runner) (stop func() error) {
	ctx, cancel := context.WithCancel(context.Background())
	result := make(chan error, 1)
	go func() { result <- r.Run(ctx) }()
	stopped := false
	var err error
	stop = func() error {
		if !stopped {
			stopped = true
			cancel()
			err = <-result
		}
		return err
	}
	t.Cleanup(func() { _ = stop() })
	return stop
}

// waitFor fails the test unless the projections reach pos within 20 s.
func waitFor(t *testing.T, r *Runner, pos eventstore.Position, names ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := r.WaitFor(ctx, pos, names...); err != nil {
		t.Fatalf("wait for %v at %s: %v", names, pos, err)
	}
}

// eventually fails the test unless cond holds within 20 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// checkpointOf reads a projection's persisted checkpoint.
func (e *testEnv) checkpointOf(name string) *eventstore.Position {
	e.t.Helper()
	pos, ok, err := readCheckpoint(testContext(e.t), e.db, name, false)
	if err != nil {
		e.t.Fatal(err)
	}
	if !ok {
		return nil
	}
	return &pos
}

// statusOf returns one projection's status from r.
func statusOf(t *testing.T, r *Runner, name string) Status {
	t.Helper()
	statuses, err := r.Status(testContext(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range statuses {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no status for %s in %+v", name, statuses)
	return Status{}
}

var errInjected = errors.New("injected failure")

func samePosition(a *eventstore.Position, b eventstore.Position) error {
	if a == nil || a.Compare(b) != 0 {
		return fmt.Errorf("checkpoint %v, want %s", a, b)
	}
	return nil
}

// metricValue returns the value of the series name{labels} gathered from reg; 0 when absent, as a vector
// exports only the series it has touched.
func metricValue(t *testing.T, reg *prometheus.Registry, name string, labels map[string]string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	series:
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if want, ok := labels[l.GetName()]; !ok || want != l.GetValue() {
					continue series
				}
			}
			switch {
			case m.GetCounter() != nil:
				return m.GetCounter().GetValue()
			case m.GetGauge() != nil:
				return m.GetGauge().GetValue()
			}
		}
	}
	return 0
}
