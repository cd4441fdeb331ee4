// Command bench measures the PostgreSQL event store side by side with raw PostgreSQL doing the same work on
// the same server in the same run, and prints the ratios as a Markdown table for docs/benchmarks.md.
// Absolute numbers depend on the machine; the ratios are what we track.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"strconv"
	"strings"
	"time"

	"github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
)

func main() {
	var opts options
	flag.DurationVar(&opts.phase, "phase", 4*time.Second, "duration of one measured phase")
	flag.IntVar(&opts.rounds, "rounds", 3, "alternating raw/store rounds per comparison (the medians are reported)")
	flag.IntVar(&opts.catchUpEvents, "catchup-events", 200_000, "events written before the catch-up read")
	flag.Func("writers", "comma-separated writer counts of the single-event comparison (default 1,4,16)", opts.parseWriters)
	flag.StringVar(&opts.serverURL, "server", pgtest.ServerURL(), "PostgreSQL server to create the benchmark database on")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	flag.Parse()
	if *cpuProfile != "" {
		stop, err := benchenv.StartCPUProfile(*cpuProfile)
		if err != nil {
			log.Fatalf("bench: %v", err)
		}
		defer stop()
	}
	if len(opts.writers) == 0 {
		opts.writers = []int{1, 4, 16}
	}

	benchenv.Main("eventstore", opts.serverURL, func(ctx context.Context, db *benchenv.Database) (string, error) {
		if _, err := db.DB.ExecContext(ctx, rawSchema); err != nil {
			return "", err
		}
		report, err := run(ctx, &environment{db}, opts)
		return report.markdown(opts), err
	})
}

type options struct {
	writers       []int
	phase         time.Duration
	rounds        int
	catchUpEvents int
	serverURL     string
}

func (o *options) parseWriters(list string) error {
	for _, field := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(field))
		if err != nil || n < 1 {
			return fmt.Errorf("writer count %q: want a positive integer", field)
		}
		o.writers = append(o.writers, n)
	}
	return nil
}
