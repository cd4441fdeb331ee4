// Command rebuild measures full projection rebuilds (projections.Rebuild) over a log of catalog and
// newsletter events against PostgreSQL's own bulk load of the rows they produce: it imports a catalog,
// appends newsletter entries through the event store until the log holds the requested number of events,
// then, round after round, rebuilds every projection those events feed and, right after each rebuild, has
// PostgreSQL build the same final tables from the same rows with COPY … FROM STDIN (benchenv.CopyBaseline).
// It prints a Markdown table for docs/benchmarks.md and drops its database at the end, on every path.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"slices"
	"time"

	"github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"
	"github.com/pelcro-oss/pelcro-api/internal/gcpace"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
	"github.com/pelcro-oss/pelcro-api/projections"
	catalogprojections "github.com/pelcro-oss/pelcro-api/projections/catalog"
	"github.com/pelcro-oss/pelcro-api/projections/customerstreams"
	newsletterprojection "github.com/pelcro-oss/pelcro-api/projections/newsletter"
)

type options struct {
	events, writers, rounds int
	shape                   benchenv.CatalogShape
	serverURL, cpuProfile   string
	only                    string
	replay                  bool
}

func main() {
	var opts options
	flag.IntVar(&opts.events, "events", 1_000_000, "newsletter events to append before the rebuilds")
	flag.IntVar(&opts.writers, "writers", 8, "concurrent writers generating the events")
	flag.IntVar(&opts.rounds, "rounds", 3, "alternating rebuild / COPY rounds (the medians are reported)")
	flag.IntVar(&opts.shape.Sites, "sites", 50, "sites in the imported catalog")
	flag.IntVar(&opts.shape.PlansPerSite, "plans", 20, "plans per site")
	flag.StringVar(&opts.serverURL, "server", pgtest.ServerURL(), "PostgreSQL server to create the benchmark database on")
	flag.StringVar(&opts.only, "only", "", "rebuild only the projection of this name (default: every projection the events feed)")
	flag.BoolVar(&opts.replay, "replay", false, "measure `pelcro replay`: every projection (with customer_streams.v1) into a fresh database per round, against COPY of all their rows")
	flag.StringVar(&opts.cpuProfile, "cpuprofile", "", "write a CPU profile of the measured rounds to this file")
	flag.Parse()
	if opts.events < eventsPerEntry || opts.writers < 1 || opts.rounds < 1 || opts.shape.Sites < 1 || opts.shape.PlansPerSite < 1 {
		log.Fatalf("bench/rebuild: want -events ≥ %d, -writers, -rounds, -sites and -plans ≥ 1", eventsPerEntry)
	}

	benchenv.Main("rebuild", opts.serverURL, func(ctx context.Context, db *benchenv.Database) (string, error) {
		return run(ctx, db, opts)
	})
}

func run(ctx context.Context, db *benchenv.Database, opts options) (string, error) {
	if err := db.ImportAndProject(ctx, opts.shape.Catalog()); err != nil {
		return "", fmt.Errorf("catalog: %w", err)
	}
	start := time.Now()
	written, err := generate(ctx, db, opts.events, opts.writers, opts.shape.Sites)
	if err != nil {
		return "", fmt.Errorf("generate: %w", err)
	}
	fmt.Printf("# appended %d newsletter events in %s\n", written, time.Since(start).Round(time.Millisecond))
	if _, err := db.DB.ExecContext(ctx, `VACUUM ANALYZE`); err != nil { // as autovacuum would after a load
		return "", err
	}
	rep := report{opts: opts, loadBefore: benchenv.LoadAverage()}
	if opts.cpuProfile != "" {
		stop, err := benchenv.StartCPUProfile(opts.cpuProfile)
		if err != nil {
			return "", err
		}
		defer stop()
	}
	all := append([]projections.Projection{newsletterprojection.Projection()}, catalogprojections.All()...)
	if opts.only != "" {
		all = slices.DeleteFunc(all, func(p projections.Projection) bool { return p.Name != opts.only })
		if len(all) == 0 {
			return "", fmt.Errorf("-only %s: no such projection here", opts.only)
		}
	}
	if opts.replay {
		lines, err := replayRounds(ctx, db, opts, append(all, customerstreams.Projection()))
		return lines + fmt.Sprintf("\nload average %s before, %s after\n", rep.loadBefore, benchenv.LoadAverage()), err
	}
	gcpace.Apply(gcpace.RebuildPercent) // what `pelcro projections rebuild` runs with (`pelcro replay` keeps Go's)
	rep.runs = make([]pair, len(all))
	for round := range opts.rounds {
		for i, p := range all {
			if err := rep.runs[i].measure(ctx, db, p, round, written); err != nil {
				return "", err
			}
		}
	}
	rep.loadAfter = benchenv.LoadAverage()
	return rep.markdown(), nil
}

// pair is one projection's rounds: each rebuild and the COPY of its rows right after it.
type pair struct {
	name             string
	rebuilds, copies []benchenv.Measurement
	rows             benchenv.TableRows // read once, after the first rebuild: every rebuild ends with the same rows
}

// measure runs one round for p: the rebuild, then the COPY baseline of the rows it produced.
func (r *pair) measure(ctx context.Context, db *benchenv.Database, p projections.Projection, round, written int) error {
	m, err := db.WithCPU(ctx, func() (benchenv.Measurement, error) { return rebuild(ctx, db, p) })
	if err != nil {
		return err
	}
	if p.Name == newsletterprojection.Name {
		if err := checkRows(ctx, db, written/eventsPerEntry); err != nil {
			return err
		}
	}
	if round == 0 {
		r.name = p.Name
		if r.rows, err = benchenv.SnapshotTables(ctx, db.DB.DB, p.Tables); err != nil {
			return err
		}
	}
	if m.Rows != r.rows.Rows() {
		return fmt.Errorf("rebuild %s: %d rows, the first rebuild made %d", p.Name, m.Rows, r.rows.Rows())
	}
	c, err := db.WithCPU(ctx, func() (benchenv.Measurement, error) { return benchenv.CopyBaseline(ctx, db.DB.DB, r.rows) })
	if err != nil {
		return fmt.Errorf("copy baseline of %s: %w", p.Name, err)
	}
	fmt.Printf("# round %d %-22s rebuild %6.2f s (%7d events, %6d rows; CPU %s)  COPY %6.2f s (CPU %s)  ratio %.2f\n",
		round+1, p.Name, m.Elapsed.Seconds(), m.Events, m.Rows, cpu(m), c.Elapsed.Seconds(), cpu(c), speedRatio(m, c))
	r.rebuilds, r.copies = append(r.rebuilds, m), append(r.copies, c)
	return nil
}
