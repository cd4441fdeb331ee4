package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"
	"github.com/pelcro-oss/pelcro-api/bench/internal/httpload"
	"github.com/pelcro-oss/pelcro-api/internal/pg"
)

// writeComparison is one API write against the raw baseline, each side's median round.
type writeComparison struct {
	name, target string
	raw, api     httpload.Result
	cpu          phaseCPU
}

// apiWrite is one measured API write: its name in the report, its request for a customer, and the goal its
// issue set.
type apiWrite struct {
	name    string
	request func(signedIn, int) httpload.Request
	target  string
	on      *apiServer // the server answering (nil: the API)
}

// writePathGoal is the write-path issue's goal for a customer mutation.
const writePathGoal = "≥ 0.25×, p99 ≤ 20 ms"

// compareWrites alternates raw INSERT phases with each API write's phases. Every round after the first
// registers customers of its own (first round: customers), so the rounds do the same work: every write
// answers with the whole customer, and a round on the previous rounds' customers would answer with every
// address, card, subscription and order they added (by the third round about 80, 90, 45 and 27 each), and
// measure that growth instead of the write path.
func compareWrites(ctx context.Context, db *benchenv.Database, server, floor *apiServer, customers []signedIn, opts options) ([]writeComparison, error) {
	base := server.base
	floorCustomers := customers // the floor's rows are the first round's customers
	writes := []apiWrite{
		{"`POST /address`", func(c signedIn, i int) httpload.Request { return newAddress(base, siteID, c, i) }, writePathGoal, nil},
		{"`PUT /customer`", func(c signedIn, i int) httpload.Request { return profileUpdate(base, siteID, c, i) }, writePathGoal, nil},
		{floorWriteName, func(c signedIn, i int) httpload.Request { return profileUpdate(floor.base, siteID, c, i) },
			"reference: what the goals leave room for", floor},
		{"`POST /payment_methods`", func(c signedIn, i int) httpload.Request { return savedCard(base, siteID, c) }, "≥ 0.3×", nil},
		{"`POST /subscription` (free plan)", func(c signedIn, i int) httpload.Request { return freeSubscription(base, siteID, c) },
			"≥ 0.3×, p99 ≤ 30 ms", nil},
		{"`POST /ecommerce/order`, one hot SKU", func(c signedIn, _ int) httpload.Request { return hotOrder(base, c) },
			"no unit sold twice; ratio and p99 recorded", nil},
	}
	writes = slices.DeleteFunc(writes, func(w apiWrite) bool { return !strings.Contains(w.name, opts.writes) })
	raw := map[string][]httpload.Result{}
	api := map[string][]httpload.Result{}
	cpu := map[string][]phaseCPU{}
	for round := range opts.rounds {
		if round > 0 {
			var err error
			if customers, err = registerCustomers(ctx, base, siteID, opts.customers); err != nil {
				return nil, fmt.Errorf("register round %d's customers: %w", round+1, err)
			}
		}
		for _, w := range writes {
			r, err := rawInserts(ctx, db.DB.DB, opts.connections, opts.phase)
			if err != nil {
				return nil, fmt.Errorf("raw phase: %w", err)
			}
			raw[w.name] = append(raw[w.name], r)
			fmt.Printf("# round %d raw INSERT %8.0f/s  p50 %-10s p99 %s\n", round+1, r.PerSecond, r.P50, r.P99)
			on, writers := server, customers
			if w.on != nil {
				on, writers = w.on, floorCustomers
			}
			a, c, err := measuredPhase(ctx, db, on.cmd.Process.Pid, func() (httpload.Result, error) {
				return httpload.Run(ctx, opts.connections, opts.phase, spread(writers, opts.connections, w.request))
			})
			if err != nil {
				return nil, fmt.Errorf("%s phase: %w", w.name, err)
			}
			api[w.name] = append(api[w.name], a)
			cpu[w.name] = append(cpu[w.name], c)
			fmt.Printf("# round %d %-16s %8.0f/s  p50 %-10s p99 %-10s Go CPU %s/request, PostgreSQL CPU %s/request\n",
				round+1, w.name, a.PerSecond, a.P50, a.P99, ms(c.server), ms(c.database))
		}
	}
	out := make([]writeComparison, 0, len(writes))
	for _, w := range writes {
		out = append(out, writeComparison{name: w.name, target: w.target, raw: httpload.Median(raw[w.name]), api: httpload.Median(api[w.name]),
			cpu: medianCPU(cpu[w.name])})
	}
	return out, nil
}

// historyComparison is PUT /customer for a long and a short history: the first request after the server
// started (it folds the whole stream) and the median of the following ones.
type historyComparison struct {
	longFirst, shortFirst   time.Duration
	longMedian, shortMedian time.Duration
	requests                int
}

// compareHistories alternates single requests of both customers, one at a time.
func compareHistories(ctx context.Context, base string, longer, shorter signedIn) (historyComparison, error) {
	const requests = 201
	var long, short []time.Duration
	for i := range requests {
		for _, side := range []struct {
			c    signedIn
			into *[]time.Duration
		}{{longer, &long}, {shorter, &short}} {
			began := time.Now()
			if err := httpload.Do(ctx, http.DefaultClient, profileUpdate(base, siteID, side.c, i), nil); err != nil {
				return historyComparison{}, err
			}
			*side.into = append(*side.into, time.Since(began))
		}
	}
	h := historyComparison{longFirst: long[0], shortFirst: short[0], requests: requests - 1}
	long, short = long[1:], short[1:]
	slices.Sort(long)
	slices.Sort(short)
	h.longMedian, h.shortMedian = long[len(long)/2], short[len(short)/2]
	return h, nil
}

// visibilityComparison is commit → visible in the first phase after the API server stopped, then alone and
// with a transaction open in another database.
type visibilityComparison struct{ first, alone, heldElsewhere visibility }

func compareVisibility(ctx context.Context, db *benchenv.Database, customers []signedIn, opts options) (visibilityComparison, error) {
	var v visibilityComparison
	// The first phase is reported apart, not against the target: whatever connections the pools open under
	// load beyond those opened ahead of it (as `pelcro serve` opens them at start) are cold PostgreSQL
	// backends. The next phases measure delivery with the pools warm.
	err := errors.Join(pg.Warm(ctx, db.DB.DB, pg.WarmConnections, nil), db.Store.Warm(ctx, pg.WarmConnections))
	if err != nil {
		return v, fmt.Errorf("open the pools ahead of load: %w", err)
	}
	if v.first, err = measureVisibility(ctx, db, customers, opts.rate, opts.subscribers, opts.phase, "warm-up"); err != nil {
		return v, fmt.Errorf("visibility warm-up: %w", err)
	}
	if v.alone, err = measureVisibility(ctx, db, customers, opts.rate, opts.subscribers, opts.phase, "alone"); err != nil {
		return v, fmt.Errorf("visibility: %w", err)
	}
	release, err := holdOpenElsewhere(ctx, opts.serverURL)
	if err != nil {
		return v, err
	}
	defer release()
	if v.heldElsewhere, err = measureVisibility(ctx, db, customers, opts.rate, opts.subscribers, opts.phase, "held"); err != nil {
		return v, fmt.Errorf("visibility with a transaction open elsewhere: %w", err)
	}
	return v, nil
}

// report is everything run measured.
type report struct {
	opts       options
	writes     []writeComparison
	history    historyComparison
	visibility visibilityComparison
	stock      *stockCheck
}

func (r report) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n%d CPUs, %s per phase, median of %d alternating rounds, %d connections, writes spread over %d new customers a round.\n\n",
		runtime.NumCPU(), r.opts.phase, r.opts.rounds, r.opts.connections, r.opts.customers)
	b.WriteString("| write | raw INSERT tx/s | API requests/s | API / raw | API p50 | API p99 | Go CPU / request | PostgreSQL CPU / request | target |\n|---|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, w := range r.writes {
		fmt.Fprintf(&b, "| %s | %.0f | %.0f | %.3f× | %s | %s | %s | %s | %s |\n", w.name, w.raw.PerSecond,
			w.api.PerSecond, w.api.PerSecond/w.raw.PerSecond, ms(w.api.P50), ms(w.api.P99), ms(w.cpu.server),
			ms(w.cpu.database), w.target)
	}
	fmt.Fprintf(&b, "\n| commit → visible in `customers.v1`, %d appends/s, %d projections subscribed | p50 | p99 | Go CPU / append | PostgreSQL CPU / append | target |\n|---|---:|---:|---:|---:|---|\n",
		r.opts.rate, r.opts.subscribers)
	for _, phase := range []struct {
		name, target string
		v            visibility
	}{
		{"first phase after the API server stopped", "", r.visibility.first},
		{"alone", "p99 ≤ 10 ms", r.visibility.alone},
		{"another database holds a write transaction open", "p99 ≤ 10 ms", r.visibility.heldElsewhere},
	} {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", phase.name, ms(phase.v.p50), ms(phase.v.p99),
			ms(phase.v.goCPU), ms(phase.v.dbCPU), phase.target)
	}
	if c := r.stock; c != nil {
		fmt.Fprintf(&b, "\nHot SKU after the order phases: %d units sold on its stock stream, %d orders paid, %d units still held.\n",
			c.sold, c.paid, c.held)
	}
	h := r.history
	fmt.Fprintf(&b, "\n| `PUT /customer`, one at a time | first after start | median of the next %d | target |\n|---|---:|---:|---|\n", h.requests)
	fmt.Fprintf(&b, "| customer with %d events | %s | %s | within 10 %% of the short history |\n", r.opts.history, ms(h.longFirst), ms(h.longMedian))
	fmt.Fprintf(&b, "| customer with a few events | %s | %s | |\n", ms(h.shortFirst), ms(h.shortMedian))
	return b.String()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }
