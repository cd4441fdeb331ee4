// Command http measures a public read of the API under load side by side with a bare net/http handler
// sending the same bytes and headers (recorded from the API at start-up), both served on loopback by real
// http.Servers in this process, with the same load generator settings, in alternating phases: with
// -workload domain (the default) GET /api/v1/sdk/plan/domain/authorization, with -workload members-ip
// GET /api/v1/sdk/members/ip/authorization over -memberships membership subscriptions. It prints a
// Markdown table for docs/benchmarks.md. Absolute numbers depend on the machine; the ratio is what we track.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"runtime"
	"time"

	"github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"
	"github.com/pelcro-oss/pelcro-api/bench/internal/httpload"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
	"github.com/pelcro-oss/pelcro-api/queries"
	"github.com/pelcro-oss/pelcro-api/transport"
)

// The issues' targets: the API at this share of the bare handler's requests/s or better.
const (
	domainRatioTarget  = 0.8
	membersRatioTarget = 0.5
)

type options struct {
	phase       time.Duration
	rounds      int
	connections int
	shape       benchenv.CatalogShape
	serverURL   string
	cpuProfile  string
	workload    string
	memberships int
	ranges      int
	uncached    bool
}

func main() {
	var opts options
	flag.DurationVar(&opts.phase, "phase", 5*time.Second, "duration of one measured phase")
	flag.IntVar(&opts.rounds, "rounds", 3, "alternating bare/api rounds (the median is reported)")
	flag.IntVar(&opts.connections, "connections", 32, "concurrent keep-alive connections of the load generator")
	flag.IntVar(&opts.shape.Sites, "sites", 50, "sites in the generated catalog")
	flag.IntVar(&opts.shape.PlansPerSite, "plans", 20, "plans per site (half free, each with two domains)")
	flag.StringVar(&opts.cpuProfile, "cpuprofile", "", "write a CPU profile of the measured phases (both servers and the load generator) to this file")
	flag.StringVar(&opts.serverURL, "server", pgtest.ServerURL(), "PostgreSQL server to create the benchmark database on")
	flag.StringVar(&opts.workload, "workload", "domain", "domain (GET /plan/domain/authorization) or members-ip (GET /members/ip/authorization)")
	flag.IntVar(&opts.memberships, "memberships", 10_000, "members-ip: membership subscriptions in the read models")
	flag.IntVar(&opts.ranges, "ranges", 5, "members-ip: IP ranges per membership")
	flag.BoolVar(&opts.uncached, "uncached", false, "members-ip: serve without the answer cache, every request a containment query")
	flag.Parse()
	if opts.shape.Sites < 1 || opts.shape.PlansPerSite < 2 || opts.rounds < 1 || opts.connections < 1 ||
		opts.memberships < 1 || opts.ranges < 1 || opts.workload != "domain" && opts.workload != "members-ip" {
		log.Fatal("bench/http: want -sites ≥ 1, -plans ≥ 2 (a free and a paid plan), -rounds ≥ 1, -connections ≥ 1, " +
			"-memberships ≥ 1, -ranges ≥ 1, -workload domain or members-ip")
	}

	benchenv.Main("http", opts.serverURL, func(ctx context.Context, db *benchenv.Database) (string, error) {
		return run(ctx, db, opts)
	})
}

// run fills the catalog, serves the API, records its answers for the bare handler, serves that and
// compares them.
func run(ctx context.Context, db *benchenv.Database, opts options) (string, error) {
	if err := db.ImportAndProject(ctx, opts.shape.Catalog()); err != nil {
		return "", fmt.Errorf("catalog: %w", err)
	}
	if opts.workload == "members-ip" {
		if err := loadMemberships(ctx, db, opts.shape, opts.memberships, opts.ranges); err != nil {
			return "", err
		}
	}
	runner, stopRunner, err := startRunner(db)
	if err != nil {
		return "", err
	}
	defer stopRunner()
	deps, err := apiDependencies(ctx, db, runner, os.TempDir())
	if err != nil {
		return "", err
	}
	if opts.uncached {
		deps.MemberIPs = queries.MemberIPs{DB: db.DB}
	}
	router, err := transport.NewRouter(deps)
	if err != nil {
		return "", err
	}
	api, err := serve(router)
	if err != nil {
		return "", err
	}
	defer api.close()
	apiRequests := opts.rotation(api.base)
	answers, err := recordAnswers(ctx, apiRequests)
	if err != nil {
		return "", fmt.Errorf("recording the API's answers: %w", err)
	}
	bare, err := serve(bareHandler(answers))
	if err != nil {
		return "", err
	}
	defer bare.close()
	if opts.cpuProfile != "" {
		stop, err := benchenv.StartCPUProfile(opts.cpuProfile) // read with -focus transport for the API side
		if err != nil {
			return "", err
		}
		defer stop()
	}
	loadBefore := benchenv.LoadAverage()
	c, err := compare(ctx, opts, opts.rotation(bare.base), apiRequests)
	if err != nil {
		return "", err
	}
	return c.markdown(opts, loadBefore, benchenv.LoadAverage()), nil
}

// rotation is the workload's requests against base.
func (o options) rotation(base string) []httpload.Request {
	if o.workload == "members-ip" {
		return memberRotation(base, o.shape, o.memberships, o.ranges, 200)
	}
	return rotation(base, o.shape)
}

// rotation lists the domain-authorization requests the load cycles through: per site, an email of a free
// plan's domain and one of its subdomain (200), one of a paid plan's domain and a webmail address (404).
// The bare server gets the same URLs and answers what the API answered.
func rotation(base string, shape benchenv.CatalogShape) []httpload.Request {
	var out []httpload.Request
	for i := range shape.Sites {
		for k, email := range []string{
			fmt.Sprintf("reader%d@%s", i, benchenv.Domain(i, 2*(i%(shape.PlansPerSite/2)))),
			fmt.Sprintf("staff%d@library.%s", i, benchenv.Domain(i, 0)),
			fmt.Sprintf("reader%d@%s", i, benchenv.Domain(i, 1)),
			fmt.Sprintf("reader%d@gmail.com", i),
		} {
			status := 200
			if k >= 2 {
				status = 404
			}
			query := url.Values{"site_id": {fmt.Sprint(benchenv.SiteID(i))}, "email": {email}}
			out = append(out, httpload.Request{URL: base + "/api/v1/sdk/plan/domain/authorization?" + query.Encode(), Status: status})
		}
	}
	return out
}

// comparison is the median bare and API phases, and each side's median CPU time per request.
type comparison struct {
	bare, api       httpload.Result
	bareCPU, apiCPU time.Duration
}

// compare alternates bare and API phases and takes each side's median round, so load from elsewhere on a
// shared machine hits both alike and one disturbed phase does not move the figure. It also measures the
// process's CPU time per request of each phase: requests per second follow the CPU share the machine
// leaves the process, which other work moves, while CPU time per request does not; on a quiet machine,
// where both sides saturate the cores, the two ratios meet.
func compare(ctx context.Context, opts options, bareRequests, apiRequests []httpload.Request) (comparison, error) {
	var bare, api []httpload.Result
	var bareCPU, apiCPU []time.Duration
	for round := range opts.rounds {
		for _, side := range []struct {
			name     string
			requests []httpload.Request
			results  *[]httpload.Result
			cpu      *[]time.Duration
		}{{"bare", bareRequests, &bare, &bareCPU}, {"api", apiRequests, &api, &apiCPU}} {
			before, err := processCPUTime()
			if err != nil {
				return comparison{}, err
			}
			r, err := httpload.Run(ctx, opts.connections, opts.phase, httpload.Shared(side.requests))
			if err != nil {
				return comparison{}, fmt.Errorf("%s phase: %w", side.name, err)
			}
			after, err := processCPUTime()
			if err != nil {
				return comparison{}, err
			}
			perRequest := (after - before) / time.Duration(r.Requests)
			fmt.Printf("# round %d %-4s %8.0f req/s  p50 %-10s p99 %-10s CPU %s/request\n", round+1, side.name, r.PerSecond, r.P50, r.P99, perRequest)
			*side.results = append(*side.results, r)
			*side.cpu = append(*side.cpu, perRequest)
		}
	}
	return comparison{bare: httpload.Median(bare), api: httpload.Median(api),
		bareCPU: medianDuration(bareCPU), apiCPU: medianDuration(apiCPU)}, nil
}

func (c comparison) markdown(opts options, loadBefore, loadAfter string) string {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }
	us := func(d time.Duration) string { return fmt.Sprintf("%.1f µs", float64(d)/float64(time.Microsecond)) }
	endpoint, target, size := "`GET /plan/domain/authorization`", domainRatioTarget, ""
	if opts.workload == "members-ip" {
		endpoint, target = "`GET /members/ip/authorization`", membersRatioTarget
		size = fmt.Sprintf(", %d memberships × %d ranges", opts.memberships, opts.ranges)
		if opts.uncached {
			endpoint += " (no answer cache)"
		}
	}
	return fmt.Sprintf("\n%d CPUs, %s per phase, median of %d alternating rounds, %d keep-alive connections, "+
		"%d sites × %d plans%s; load average %s before, %s after.\n\n"+
		"| handler | requests/s | p50 | p99 | CPU per request | API / bare, requests/s | API / bare, CPU | target |\n"+
		"|---|---:|---:|---:|---:|---:|---:|---|\n"+
		"| bare net/http, the API's recorded bytes and headers | %.0f | %s | %s | %s | — | — | — |\n"+
		"| %s | %.0f | %s | %s | %s | %.2f× | %.2f× | ≥ %.1f× |\n",
		runtime.NumCPU(), opts.phase, opts.rounds, opts.connections, opts.shape.Sites, opts.shape.PlansPerSite, size,
		loadBefore, loadAfter,
		c.bare.PerSecond, ms(c.bare.P50), ms(c.bare.P99), us(c.bareCPU),
		endpoint, c.api.PerSecond, ms(c.api.P50), ms(c.api.P99), us(c.apiCPU),
		c.api.PerSecond/c.bare.PerSecond, float64(c.bareCPU)/float64(c.apiCPU), target)
}
