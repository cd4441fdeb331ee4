// Command sealing measures what sealing personal data costs a rebuild: it writes the same customer events
// into two throw-away databases, one through the event store as it was (plaintext) and one through
// internal/personaldata's sealing store, then rebuilds customers.v1 over each in turn (plaintext, sealed,
// plaintext, …), a fresh sealing store (cold key cache) every time, and reports the median of the rounds
// and the ratio, with the machine's load average. Both databases are dropped at the end, on every path.
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"log"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
)

// target is the floor for the sealed rebuild, as a share of the plaintext one.
const target = 0.8

type options struct {
	customers, writers, rounds int
	serverURL                  string
}

func main() {
	var opts options
	flag.IntVar(&opts.customers, "customers", 20_000, "customers to write (6 events each)")
	flag.IntVar(&opts.writers, "writers", 8, "concurrent writers generating the events")
	flag.IntVar(&opts.rounds, "rounds", 3, "rebuilds of each log, alternating (the median is reported)")
	flag.StringVar(&opts.serverURL, "server", pgtest.ServerURL(), "PostgreSQL server to create the benchmark databases on")
	flag.Parse()
	if opts.customers < 1 || opts.writers < 1 || opts.rounds < 1 {
		log.Fatal("bench/sealing: want -customers, -writers and -rounds ≥ 1")
	}
	ctx := context.Background()
	var opened []*benchenv.Database
	report, err := func() (string, error) {
		for _, name := range []string{"sealing_plain", "sealing_sealed"} {
			db, err := benchenv.Open(ctx, opts.serverURL, name)
			if err != nil {
				return "", err
			}
			opened = append(opened, db)
		}
		return run(ctx, opened[0], opened[1], opts)
	}()
	for _, db := range opened {
		db.Drop()
	}
	if err != nil {
		log.Fatalf("bench/sealing: %v", err)
	}
	fmt.Print(report)
}

func run(ctx context.Context, plain, sealed *benchenv.Database, opts options) (string, error) {
	loadBefore := benchenv.LoadAverage()
	start := time.Now()
	written, err := generate(ctx, plain, sealed, opts.customers, opts.writers)
	if err != nil {
		return "", fmt.Errorf("generate: %w", err)
	}
	fmt.Printf("# wrote %d customer events to each log in %s\n", written, time.Since(start).Round(time.Millisecond))
	for _, db := range []*benchenv.Database{plain, sealed} {
		if _, err := db.DB.ExecContext(ctx, `VACUUM ANALYZE`); err != nil {
			return "", err
		}
	}
	// runs[pass][side]: pass 0 reads the log, pass 1 rebuilds customers.v1; side 0 plaintext, 1 sealed.
	var runs [2][2][]benchenv.Measurement
	for round := range opts.rounds {
		for pass, measure := range []func(context.Context, *benchenv.Database, bool) (benchenv.Measurement, error){
			readLog, func(ctx context.Context, db *benchenv.Database, sealed bool) (benchenv.Measurement, error) {
				return rebuild(ctx, db, sealed, opts.customers)
			}} {
			for side, db := range []*benchenv.Database{plain, sealed} {
				m, err := measure(ctx, db, side == 1)
				if err != nil {
					return "", err
				}
				fmt.Printf("# round %d %-7s %-9s %8d events %6.1f s %8.0f events/s\n", round+1, []string{"read", "rebuild"}[pass],
					m.Name, m.Events, m.Elapsed.Seconds(), m.PerSecond())
				runs[pass][side] = append(runs[pass][side], m)
			}
		}
	}
	return markdown(opts, written, runs, loadBefore, benchenv.LoadAverage()), nil
}

// median is the measurement of median speed.
func median(runs []benchenv.Measurement) benchenv.Measurement {
	sorted := slices.Clone(runs)
	slices.SortFunc(sorted, func(a, b benchenv.Measurement) int { return cmp.Compare(a.Elapsed, b.Elapsed) })
	return sorted[len(sorted)/2]
}

func markdown(opts options, written int, runs [2][2][]benchenv.Measurement, loadBefore, loadAfter string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n%d CPUs, %d customers (%d events per log), median of %d alternating rounds; load average %s before, %s after.\n\n",
		runtime.NumCPU(), opts.customers, written, opts.rounds, loadBefore, loadAfter)
	b.WriteString("| pass over the whole log | events | seconds | events/s | sealed / plaintext (medians) | each round (sealed / the plaintext just before) | target |\n|---|---:|---:|---:|---:|---|---|\n")
	for pass, label := range []string{"read only (`ReadAll`, 2,000-event pages)", "`projections.Rebuild` of customers.v1"} {
		plain, sealed := median(runs[pass][0]), median(runs[pass][1])
		goal := "—"
		if pass == 1 {
			goal = fmt.Sprintf("≥ %.1f×", target)
		}
		rounds := make([]string, len(runs[pass][0]))
		ratios := make([]float64, len(rounds))
		for i := range rounds {
			ratios[i] = runs[pass][1][i].PerSecond() / runs[pass][0][i].PerSecond()
			rounds[i] = fmt.Sprintf("%.2f×", ratios[i])
		}
		slices.Sort(ratios)
		rounds = append(rounds, fmt.Sprintf("median %.2f×", ratios[len(ratios)/2]))
		fmt.Fprintf(&b, "| %s, plaintext log | %d | %.1f | %.0f | — | — | — |\n", label, plain.Events, plain.Elapsed.Seconds(), plain.PerSecond())
		fmt.Fprintf(&b, "| %s, sealed log (cold key cache) | %d | %.1f | %.0f | %.2f× | %s | %s |\n", label, sealed.Events,
			sealed.Elapsed.Seconds(), sealed.PerSecond(), sealed.PerSecond()/plain.PerSecond(), strings.Join(rounds, ", "), goal)
	}
	return b.String()
}
