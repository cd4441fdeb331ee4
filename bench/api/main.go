// Command api measures the write path of `pelcro serve` (run as a child process, built from this tree)
// side by side with what PostgreSQL itself does on the same server:
//
//   - POST /address, PUT /customer, POST /payment_methods (sandbox gateway) and POST /ecommerce/order (N
//     buyers of one hot SKU) at N connections vs
//     single-row INSERT transactions at N clients,
//     alternating phases, the median of the rounds;
//   - commit → visible in the customers read model at a fixed rate of appends, alone and while another
//     database of the server holds a write transaction open;
//   - the floor (floor.go): PUT /customer's request answered by HTTP and one statement, not the API, for
//     reading the ratios against the least a write costs here;
//   - PUT /customer for a customer with a long history vs one with a short one.
//
// It prints a Markdown report for docs/benchmarks.md. Absolute numbers depend on the machine; the ratios are
// what we track.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
)

type options struct {
	phase       time.Duration
	rounds      int
	connections int
	customers   int
	history     int
	rate        int
	subscribers int
	serverURL   string
	binary      string
	writes      string
}

func main() {
	var opts options
	flag.DurationVar(&opts.phase, "phase", 5*time.Second, "duration of one measured phase")
	flag.IntVar(&opts.rounds, "rounds", 3, "alternating raw/API rounds (the median is reported)")
	flag.IntVar(&opts.connections, "connections", 16, "concurrent connections of both sides")
	flag.IntVar(&opts.customers, "customers", 128, "customers the writes of one round are spread over (each round registers its own)")
	flag.IntVar(&opts.history, "history", 10_000, "past events of the long-history customer")
	flag.IntVar(&opts.rate, "rate", 1000, "appends per second of the commit → visible measurement")
	flag.IntVar(&opts.subscribers, "subscribers", 1, "projections following the log in the commit → visible measurement: customers.v1 and bystanders that handle no event")
	flag.StringVar(&opts.serverURL, "server", pgtest.ServerURL(), "PostgreSQL server to create the benchmark database on")
	flag.StringVar(&opts.binary, "binary", "", "a pelcro binary to run (default: build one from this tree)")
	flag.StringVar(&opts.writes, "writes", "", "only the API writes whose name contains this (e.g. payment_methods)")
	serveAsFloor := flag.Bool("serve-floor", false, "serve as the floor (the benchmark starts its own child process with it)")
	flag.Parse()
	if *serveAsFloor {
		serveFloor()
	}
	if opts.rounds < 1 || opts.connections < 1 || opts.customers < opts.connections || opts.rate < 1 || opts.history < 10 || opts.subscribers < 1 {
		log.Fatal("bench/api: want -rounds ≥ 1, -connections ≥ 1, -customers ≥ -connections, -rate ≥ 1, -history ≥ 10, -subscribers ≥ 1")
	}
	benchenv.Main("api", opts.serverURL, func(ctx context.Context, db *benchenv.Database) (string, error) {
		return run(ctx, db, opts)
	})
}

// siteID is the benchmark's one site, selling plansPerSite plans (the first free).
var siteID = benchenv.SiteID(0)

const plansPerSite = 2

func run(ctx context.Context, db *benchenv.Database, opts options) (string, error) {
	if err := db.ImportAndProject(ctx, withShop(benchenv.CatalogShape{Sites: 1, PlansPerSite: plansPerSite}.Catalog())); err != nil {
		return "", fmt.Errorf("catalog: %w", err)
	}
	dir, err := os.MkdirTemp("", "pelcro-bench-api-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	server, err := startServer(ctx, dir, opts.binary, db.URL)
	if err != nil {
		return "", err
	}
	defer server.stop()
	customers, err := registerCustomers(ctx, server.base, siteID, opts.customers+2)
	if err != nil {
		return "", fmt.Errorf("register: %w", err)
	}
	longer, shorter, customers := customers[0], customers[1], customers[2:]
	if err := growHistory(ctx, db.Store, longer, opts.history-1); err != nil {
		return "", err
	}
	floor, err := startFloor(ctx, dir, db, server, customers)
	if err != nil {
		return "", err
	}
	defer floor.stop()
	var r report
	if r.writes, err = compareWrites(ctx, db, server, floor, customers, opts); err != nil {
		return "", err
	}
	if r.history, err = compareHistories(ctx, server.base, longer, shorter); err != nil {
		return "", err
	}
	if strings.Contains("`POST /ecommerce/order`", opts.writes) {
		check, err := checkStock(ctx, db)
		if err != nil {
			return "", fmt.Errorf("stock check: %w", err)
		}
		r.stock = &check
	}
	server.stop() // the visibility measurement runs the customers projection in this process
	if r.visibility, err = compareVisibility(ctx, db, customers, opts); err != nil {
		return "", err
	}
	r.opts = opts
	return r.markdown(), nil
}
