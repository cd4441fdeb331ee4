package main

import (
	"context"
	"fmt"
	"runtime"
	"strings"

	"github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"
)

// catchUpTarget is the foundation issue's catch-up target, in events/s on one reader.
const catchUpTarget = 100_000

// singleAppendTarget is the foundation issue's target for single-event appends: set at 16 writers only.
func singleAppendTarget(writers int) string {
	if writers == 16 {
		return "≥ 0.7×, rising with writers"
	}
	return "—"
}

type report struct {
	comparisons []comparison
	loadBefore  string
}

func run(ctx context.Context, env *environment, opts options) (report, error) {
	rep := report{loadBefore: benchenv.LoadAverage()}
	rawOne, err := env.rawInsert(ctx, 1)
	if err != nil {
		return rep, err
	}
	rawHundred, err := env.rawInsert(ctx, 100)
	if err != nil {
		return rep, err
	}
	for _, writers := range opts.writers {
		raw, store, err := compare(ctx, opts.rounds, writers, opts.phase, rawOne, env.storeAppend(1))
		if err != nil {
			return rep, fmt.Errorf("single appends, %d writers: %w", writers, err)
		}
		rep.add(comparison{name: fmt.Sprintf("single-event append, %d writers", writers), raw: raw, store: store,
			target: singleAppendTarget(writers), rawLabel: "single-row INSERT tx"})
	}
	raw, store, err := compare(ctx, opts.rounds, 4, opts.phase, rawHundred, env.storeAppend(100))
	if err != nil {
		return rep, fmt.Errorf("batch appends: %w", err)
	}
	rep.add(comparison{name: "100-event append, 4 writers", raw: raw, store: store,
		target: "≥ 0.6×", rawLabel: "100-row INSERT tx"})

	if err := env.fill(ctx, opts.catchUpEvents); err != nil {
		return rep, fmt.Errorf("fill: %w", err)
	}
	c, err := env.compareCatchUp(ctx, opts.rounds, opts.catchUpEvents)
	if err != nil {
		return rep, fmt.Errorf("catch-up: %w", err)
	}
	rep.add(c)
	return rep, nil
}

func (r *report) add(c comparison) {
	r.comparisons = append(r.comparisons, c)
	fmt.Printf("# %-36s raw %10.0f  store %10.0f  ratio %.2f\n", c.name, c.raw, c.store, c.ratio())
}

func (r report) markdown(opts options) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n%d CPUs, %s per phase, median of %d alternating rounds, catch-up over ≥ %d events; load average %s before, %s after.\n\n",
		runtime.NumCPU(), opts.phase, opts.rounds, opts.catchUpEvents, r.loadBefore, benchenv.LoadAverage())
	b.WriteString("| workload | raw PostgreSQL baseline | raw events/s | store events/s | store / raw | target |\n")
	b.WriteString("|---|---|---:|---:|---:|---|\n")
	for _, c := range r.comparisons {
		fmt.Fprintf(&b, "| %s | %s | %.0f | %.0f | %.2f× | %s |\n", c.name, c.rawLabel, c.raw, c.store, c.ratio(), c.target)
	}
	return b.String()
}
