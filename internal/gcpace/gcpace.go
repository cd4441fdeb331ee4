// Package gcpace sets the garbage collector's target (GOGC) of a pelcro process that the operator left to
// us: `pelcro serve`, `pelcro projections rebuild` and `pelcro billing run` each pass the target they were
// measured with (all 200 today, each for its own measured reason: see serveGCPercent in cmd/pelcro,
// RebuildPercent and BillingPercent). An operator who
// sets GOGC or GOMEMLIMIT (to anything but the empty string, "off" included) always gets exactly what they
// set.
package gcpace

import (
	"os"
	"runtime/debug"
)

// RebuildPercent is the target of `pelcro projections rebuild`. A rebuild allocates every event it reads
// (rows, payloads, decoded values) and drops it a few pages later, over a live heap of a few pages (about
// 25 MiB a page of 10,000 events): at Go's default (100) the collector took about a quarter of its Go CPU.
// Measured on a newsletters.v1 rebuild of 200,000 events (bench/rebuild, 2 cores, three rounds each): Go
// CPU per rebuild 1.58–1.61 s at 100, 1.38–1.42 s at 200, 1.23–1.36 s at 400; at 400 the benchmark
// process's peak RSS reached 488–605 MiB, and 1.5 GiB at 1,000,000 events. With 200 that peak is 270–276
// MiB against 178–179 MiB at 100 (its own copy of the rows included). `pelcro replay` keeps Go's default:
// there 200 saved no measured CPU (docs/benchmarks.md). Warning: raising it multiplies that peak; a rebuild
// running beside `pelcro serve` on a small machine may want GOMEMLIMIT set instead.
const RebuildPercent = 200

// BillingPercent is the target of `pelcro billing run`. A renewal allocates its events, rows and charge over
// a live heap of cached states: at 200 the billing benchmark's Go CPU per renewal fell by about a quarter
// (958 → 729 µs, four alternating pairs) for a peak RSS of 75 MB instead of 52 (docs/benchmarks.md, the
// billing section, 2026-12-06). Warning: the same trade as RebuildPercent's on a small machine.
const BillingPercent = 200

// targetFor returns percent and true when getenv reports neither GOGC nor GOMEMLIMIT set; otherwise the
// operator chose the collector's pacing and it returns false.
func targetFor(getenv func(string) string, percent int) (int, bool) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return 0, false
	}
	return percent, true
}

// Apply sets percent as this process's target unless the environment chose one (see targetFor).
func Apply(percent int) {
	if p, ok := targetFor(os.Getenv, percent); ok {
		debug.SetGCPercent(p)
	}
}
