// Command bench measures the PostgreSQL event store side by side with raw PostgreSQL doing the same work on
// the same server in the same run, and prints the ratios as a Markdown table for docs/benchmarks.md.
// Absolute numbers depend on the machine; the ratios are what we track.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
)

func main() {
	var opts options
	flag.DurationVar(&opts.phase, "phase", 4*time.Second, "duration of one measured phase")
	flag.IntVar(&opts.rounds, "rounds", 2, "alternating raw/store rounds per comparison (averaged)")
	flag.IntVar(&opts.catchUpEvents, "catchup-events", 200_000, "events written before the catch-up read")
	flag.StringVar(&opts.serverURL, "server", pgtest.ServerURL(), "PostgreSQL server to create the benchmark database on")
	flag.Parse()

	ctx := context.Background()
	env, err := setUp(ctx, opts.serverURL)
	if err != nil {
		log.Fatalf("bench: %v", err)
	}
	report, err := run(ctx, env, opts)
	env.tearDown() // before exiting either way: the benchmark database must not outlive the run
	if err != nil {
		log.Fatalf("bench: %v", err)
	}
	fmt.Print(report.markdown(opts))
}

type options struct {
	phase         time.Duration
	rounds        int
	catchUpEvents int
	serverURL     string
}
