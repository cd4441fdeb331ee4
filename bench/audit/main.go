// Command audit measures the first page of a customer's audit timeline (operator.Timeline) for a customer
// with many events across their streams, in a log where other customers' events outnumber theirs, against a
// scan of the whole log: the timeline must find the customer's streams through the customer_streams index and
// read only those, so its time follows the customer's streams, not the log. It prints a Markdown table for
// docs/benchmarks.md and drops its database at the end, on every path.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"slices"
	"strings"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
	"github.com/pelcro-oss/pelcro-api/operator"
	"github.com/pelcro-oss/pelcro-api/projections"
	"github.com/pelcro-oss/pelcro-api/projections/customerstreams"
)

type options struct {
	customerEvents, otherEvents, writers, pages, pageSize int
	serverURL                                             string
}

func main() {
	var opts options
	flag.IntVar(&opts.customerEvents, "customer-events", 10_000, "events of the audited customer, across their streams")
	flag.IntVar(&opts.otherEvents, "other-events", 200_000, "events of other customers in the same log")
	flag.IntVar(&opts.writers, "writers", 8, "concurrent writers generating the other customers' events")
	flag.IntVar(&opts.pages, "pages", 200, "first pages read and timed")
	flag.IntVar(&opts.pageSize, "limit", 50, "entries per page")
	flag.StringVar(&opts.serverURL, "server", pgtest.ServerURL(), "PostgreSQL server to create the benchmark database on")
	flag.Parse()
	if opts.customerEvents < minCustomerEvents || opts.otherEvents < 0 || opts.writers < 1 || opts.pages < 1 || opts.pageSize < 1 {
		log.Fatalf("bench/audit: want -customer-events ≥ %d, -other-events ≥ 0, -writers, -pages and -limit ≥ 1", minCustomerEvents)
	}
	benchenv.Main("audit", opts.serverURL, func(ctx context.Context, db *benchenv.Database) (string, error) {
		return run(ctx, db, opts)
	})
}

func run(ctx context.Context, db *benchenv.Database, opts options) (string, error) {
	registry, err := aggregates.Merge(customer.Events, invoice.Events, wallet.Events, newsletter.Events)
	if err != nil {
		return "", err
	}
	start := time.Now()
	streams, err := writeAudited(ctx, db, registry, opts.customerEvents)
	if err != nil {
		return "", fmt.Errorf("audited customer: %w", err)
	}
	if err := writeOthers(ctx, db, registry, opts.otherEvents, opts.writers); err != nil {
		return "", fmt.Errorf("other customers: %w", err)
	}
	fmt.Printf("# appended %d + %d events in %s\n", opts.customerEvents, opts.otherEvents, time.Since(start).Round(time.Millisecond))
	cfg := projections.Config{Store: db.Store, DB: db.DB, Registry: registry}
	if _, err := projections.Rebuild(ctx, cfg, customerstreams.Projection()); err != nil {
		return "", fmt.Errorf("index: %w", err)
	}
	if _, err := db.DB.ExecContext(ctx, `VACUUM ANALYZE`); err != nil {
		return "", err
	}
	loadBefore := benchenv.LoadAverage()
	op := &operator.Operator{Store: db.Store, DB: db.DB, Registry: registry}
	times := make([]time.Duration, opts.pages)
	for i := range times {
		began := time.Now()
		page, err := op.Timeline(ctx, auditedID, time.Time{}, opts.pageSize, "")
		if err != nil {
			return "", err
		}
		times[i] = time.Since(began)
		if len(page.Entries) != opts.pageSize || !slices.Equal(page.Streams, streams) {
			return "", fmt.Errorf("timeline: %d entries over %v, want %d over %v", len(page.Entries), page.Streams, opts.pageSize, streams)
		}
	}
	scan, err := benchenv.ReadLog(ctx, db.Store, "scan", 1000)
	if err != nil {
		return "", err
	}
	return report(opts, streams, times, scan, loadBefore), nil
}

func report(opts options, streams []string, times []time.Duration, scan benchenv.Measurement, loadBefore string) string {
	slices.Sort(times)
	at := func(q float64) string {
		return fmt.Sprintf("%.1f", float64(times[min(len(times)-1, int(q*float64(len(times))))].Microseconds())/1000)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nload average %s before the timed pages, %s after\n\n", loadBefore, benchenv.LoadAverage())
	fmt.Fprintln(&b, "| customer events (streams) | other events | first page (entries) | p50 ms | p95 ms | p99 ms | max ms | whole-log scan ms | target |")
	fmt.Fprintln(&b, "|---:|---:|---:|---:|---:|---:|---:|---:|---|")
	fmt.Fprintf(&b, "| %d (%d) | %d | %d | %s | %s | %s | %s | %d | p50 ≤ 50 ms |\n", opts.customerEvents, len(streams),
		opts.otherEvents, opts.pageSize, at(0.5), at(0.95), at(0.99), at(1), scan.Elapsed.Milliseconds())
	return b.String()
}
