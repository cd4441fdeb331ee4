// Command billing measures `pelcro billing run`: it writes N subscriptions due for renewal on the same day,
// each charged to a saved tok_visa card through the sandbox gateway, lets the deadline projection catch up,
// then runs the billing clock over all of them (renew, open the invoice, charge, record) and reports
// renewals per second against the goal, with the machine's load average. The database is dropped at
// the end, on every path.
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
	"github.com/pelcro-oss/pelcro-api/billing"
	"github.com/pelcro-oss/pelcro-api/internal/gcpace"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
)

// goal is the floor: renewals billed per second.
const goal = 2000

type options struct {
	subscriptions, customers, workers, writers int
	// cpuProfile, when set, is where the billing run's CPU profile is written (go tool pprof).
	cpuProfile string
	// cost, when set, waits for PostgreSQL's counters before and after the run and prints a renewal's cost.
	cost bool
}

func main() {
	var opts options
	var serverURL string
	flag.IntVar(&opts.subscriptions, "subscriptions", 10_000, "subscriptions due for renewal")
	flag.IntVar(&opts.customers, "customers", 100, "customers they belong to (one saved card each)")
	flag.IntVar(&opts.workers, "workers", billing.RunWorkers, "subscriptions the billing run bills at once (pelcro billing run's default)")
	flag.IntVar(&opts.writers, "writers", 8, "concurrent writers creating the subscriptions")
	flag.StringVar(&opts.cpuProfile, "cpuprofile", "", "write the billing run's CPU profile to this file")
	flag.BoolVar(&opts.cost, "cost", false, "print a renewal's CPU, transactions and appends (waits 22 s for PostgreSQL's counters)")
	flag.StringVar(&serverURL, "server", pgtest.ServerURL(), "PostgreSQL server to create the benchmark database on")
	flag.Parse()
	if opts.subscriptions < 1 || opts.customers < 1 || opts.workers < 1 || opts.writers < 1 {
		log.Fatal("bench/billing: want -subscriptions, -customers, -workers and -writers ≥ 1")
	}
	gcpace.Apply(gcpace.BillingPercent) // the collector's target of `pelcro billing run`, unless GOGC or GOMEMLIMIT is set
	benchenv.Main("billing", serverURL, func(ctx context.Context, db *benchenv.Database) (string, error) {
		return run(ctx, db, opts)
	})
}

func run(ctx context.Context, db *benchenv.Database, opts options) (string, error) {
	loadBefore := benchenv.LoadAverage()
	w, err := newWorld(ctx, db, opts)
	if err != nil {
		return "", err
	}
	defer w.close()
	start := time.Now()
	if err := w.generate(ctx, opts); err != nil {
		return "", fmt.Errorf("generate: %w", err)
	}
	fmt.Printf("# wrote %d subscriptions of %d customers in %s\n", opts.subscriptions, opts.customers,
		time.Since(start).Round(time.Millisecond))
	caughtUp, err := w.catchUp(ctx)
	if err != nil {
		return "", err
	}
	fmt.Printf("# the deadline projection caught up in %s\n", caughtUp.Round(time.Millisecond))
	var before cost
	if opts.cost {
		time.Sleep(statsFlush)
		if before, err = sampleCost(ctx, db); err != nil {
			return "", err
		}
	}
	summary, elapsed, err := w.bill(ctx, opts.workers, opts.cpuProfile)
	if err != nil {
		return "", err
	}
	spent := ""
	if opts.cost {
		time.Sleep(statsFlush)
		after, err := sampleCost(ctx, db)
		if err != nil {
			return "", err
		}
		spent = perRenewal(before, after, summary.Outcomes["renewed"])
	}
	renewals := summary.Outcomes["renewed"]
	if renewals != opts.subscriptions || summary.Outcomes["paid"] != opts.subscriptions {
		return "", fmt.Errorf("billed %v, want %d renewals paid", summary.Outcomes, opts.subscriptions)
	}
	rate := float64(renewals) / elapsed.Seconds()
	var b strings.Builder
	fmt.Fprintf(&b, "billing run over %d due renewals (sandbox gateway, tok_visa), %d workers, GOMAXPROCS %d\n",
		renewals, opts.workers, runtime.GOMAXPROCS(0))
	fmt.Fprintf(&b, "load average before: %s, after: %s\n", loadBefore, benchenv.LoadAverage())
	fmt.Fprintf(&b, "elapsed %s, %.0f renewals/s (renew + open + charge + record each), goal %d/s: %.2f× the goal\n",
		elapsed.Round(time.Millisecond), rate, goal, rate/goal)
	b.WriteString(spent)
	return b.String(), nil
}
