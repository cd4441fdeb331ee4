package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/projections"
	customerprojection "github.com/pelcro-oss/pelcro-api/projections/customer"
)

// visibility is how long events take from a committed append to the customers read model, and the CPU time
// the phase cost per append: this process (the appends' clients and the projections) and the database's
// backends. On a loaded machine the latencies follow the load; the CPU times much less so.
type visibility struct {
	p50, p99     time.Duration
	n            int
	goCPU, dbCPU time.Duration
}

// measureVisibility appends profile changes to the customers' streams at `rate` per second for d, each
// from its own goroutine (open loop: a slow one does not slow the pace), and times each from the moment its
// append returned to the moment the customers projection, run in this process as `pelcro serve` runs it,
// reached it. subscribers-1 bystanders (see bystanders) follow the log beside it.
func measureVisibility(ctx context.Context, db *benchenv.Database, customers []signedIn, rate, subscribers int, d time.Duration, label string) (visibility, error) {
	runner, err := projections.NewRunner(projections.Config{Store: db.Store, DB: db.DB, Registry: customer.Events,
		Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))}, append(bystanders(subscribers-1), customerprojection.Projection())...)
	if err != nil {
		return visibility{}, err
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = runner.Run(runCtx) }()
	defer func() { stop(); <-done }()
	if _, err := appendAndWait(ctx, db.Store, runner, customers[0], label+"-warm-up"); err != nil {
		return visibility{}, err // the runner has caught up with the log once this returns
	}

	before, err := db.SampleCPU(ctx)
	if err != nil {
		return visibility{}, err
	}
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		latencies []time.Duration
		firstErr  error
	)
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	for i, end := 0, time.Now().Add(d); time.Now().Before(end); i++ {
		<-tick.C
		c := customers[i%len(customers)]
		wg.Go(func() {
			took, err := appendAndWait(ctx, db.Store, runner, c, fmt.Sprintf("%s-%d", label, i))
			mu.Lock()
			defer mu.Unlock()
			if err != nil && firstErr == nil {
				firstErr = err
			}
			latencies = append(latencies, took)
		})
	}
	wg.Wait()
	if firstErr != nil {
		return visibility{}, firstErr
	}
	after, err := db.SampleCPU(ctx)
	if err != nil {
		return visibility{}, err
	}
	goCPU, dbCPU := after.Since(before)
	slices.Sort(latencies)
	n := len(latencies)
	return visibility{p50: latencies[n/2], p99: latencies[n*99/100], n: n,
		goCPU: goCPU / time.Duration(n), dbCPU: dbCPU / time.Duration(n)}, nil
}

// bystanders returns n projections that handle no event, as most of the projections `pelcro serve` runs
// handle no profile change: each subscribes to the whole log all the same, and is woken by every append.
func bystanders(n int) []projections.Projection {
	ps := make([]projections.Projection, n)
	for i := range ps {
		ps[i] = projections.Projection{Name: fmt.Sprintf("bench_bystander_%d.v1", i)}
	}
	return ps
}

// appendAndWait appends one profile change, a new event named by change, and waits until the customers read
// model reflects it.
func appendAndWait(ctx context.Context, store eventstore.Store, runner *projections.Runner, c signedIn, change string) (time.Duration, error) {
	stream := commands.CustomerAggregate.StreamPrefix + strconv.FormatInt(c.id, 10)
	encoded, err := customer.Events.Encode(customer.ProfileChanged{CustomerID: c.id, ChangedAt: time.Now().UTC(),
		Profile: customer.Profile{FirstName: "Visible " + change, Language: "en"}})
	if err != nil {
		return 0, err
	}
	res, err := store.Append(ctx, stream, eventstore.Any(), eventstore.EventData{
		ID: commands.EventID(stream, change, 0), Type: encoded.Name, Data: encoded.Data,
		Metadata: fmt.Appendf(nil, `{"schema_version":%d}`, encoded.SchemaVersion)})
	if err != nil {
		return 0, err
	}
	committed := time.Now()
	waitCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := runner.WaitFor(waitCtx, res.Position, customerprojection.Name); err != nil {
		return 0, err
	}
	return time.Since(committed), nil
}

// holdOpenElsewhere opens a transaction that holds a transaction id in another database of the same server
// (the one at otherURL), as a long report or a migration elsewhere would, until release is called.
func holdOpenElsewhere(ctx context.Context, otherURL string) (release func(), err error) {
	other, err := sql.Open("postgres", otherURL)
	if err != nil {
		return nil, err
	}
	tx, err := other.BeginTx(ctx, nil)
	if err == nil {
		_, err = tx.ExecContext(ctx, `SELECT pg_current_xact_id()`)
	}
	if err != nil {
		other.Close()
		return nil, fmt.Errorf("hold a transaction open elsewhere: %w", err)
	}
	return func() { _ = tx.Rollback(); _ = other.Close() }, nil
}
