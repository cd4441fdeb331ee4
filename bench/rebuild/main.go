// Command rebuild measures full projection rebuilds (projections.Rebuild) over a log of catalog and
// newsletter events: it imports a catalog, appends newsletter entries through the event store until the
// log holds the requested number of events, then times the rebuild of every projection those events feed,
// next to a read-only pass over the same log in the same run. It prints a Markdown table for
// docs/benchmarks.md and drops its database at the end, on every path.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"runtime"
	"strings"
	"time"

	"github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
	"github.com/pelcro-oss/pelcro-api/projections"
	catalogprojections "github.com/pelcro-oss/pelcro-api/projections/catalog"
	newsletterprojection "github.com/pelcro-oss/pelcro-api/projections/newsletter"
)

// target is the target for a full rebuild, in events read per second.
const target = 50_000

type options struct {
	events, writers int
	shape           benchenv.CatalogShape
	serverURL       string
}

func main() {
	var opts options
	flag.IntVar(&opts.events, "events", 1_000_000, "newsletter events to append before the rebuilds")
	flag.IntVar(&opts.writers, "writers", 8, "concurrent writers generating the events")
	flag.IntVar(&opts.shape.Sites, "sites", 50, "sites in the imported catalog")
	flag.IntVar(&opts.shape.PlansPerSite, "plans", 20, "plans per site")
	flag.StringVar(&opts.serverURL, "server", pgtest.ServerURL(), "PostgreSQL server to create the benchmark database on")
	flag.Parse()
	if opts.events < eventsPerEntry || opts.writers < 1 || opts.shape.Sites < 1 || opts.shape.PlansPerSite < 1 {
		log.Fatalf("bench/rebuild: want -events ≥ %d, -writers ≥ 1, -sites ≥ 1, -plans ≥ 1", eventsPerEntry)
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
	var results []benchenv.Measurement
	for _, p := range append([]projections.Projection{newsletterprojection.Projection()}, catalogprojections.All()...) {
		baseline, err := readLog(ctx, db)
		if err != nil {
			return "", fmt.Errorf("read the log: %w", err)
		}
		m, err := rebuild(ctx, db, p)
		if err != nil {
			return "", err
		}
		if p.Name == newsletterprojection.Name {
			if err := checkRows(ctx, db, written/eventsPerEntry); err != nil {
				return "", err
			}
		}
		fmt.Printf("# %-60s %8d events %10.0f/s (read only: %.0f/s)\n", m.Name, m.Events, m.PerSecond(), baseline.PerSecond())
		results = append(results, baseline, m)
	}
	return markdown(opts, results), nil
}

// markdown prints each rebuild next to the read-only pass measured just before it.
func markdown(opts options, results []benchenv.Measurement) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n%d CPUs, %d newsletter events appended after a %d × %d catalog import.\n\n",
		runtime.NumCPU(), opts.events, opts.shape.Sites, opts.shape.PlansPerSite)
	b.WriteString("| pass over the whole log | events read | seconds | events/s | of read-only | target |\n|---|---:|---:|---:|---:|---|\n")
	for i := 0; i+1 < len(results); i += 2 {
		baseline, m := results[i], results[i+1]
		fmt.Fprintf(&b, "| %s | %d | %.1f | %.0f | — | — |\n", baseline.Name, baseline.Events, baseline.Elapsed.Seconds(), baseline.PerSecond())
		fmt.Fprintf(&b, "| %s | %d | %.1f | %.0f | %.2f× | ≥ %d events/s |\n", m.Name, m.Events, m.Elapsed.Seconds(),
			m.PerSecond(), m.PerSecond()/baseline.PerSecond(), target)
	}
	return b.String()
}
