// Package gctarget sets the garbage collector's target (GOGC) of the long-running commands, `pelcro serve`
// and `pelcro billing run`, when the operator set none.
package gctarget

import (
	"os"
	"runtime/debug"
)

// Percent is the collector's target of serve and billing run when the environment sets neither GOGC nor
// GOMEMLIMIT. Both allocate much over a small live heap. A write request allocates a few hundred KiB
// (requests, events, rows, the answer) over a live heap of a few tens of MiB: at Go's default (100) the
// collector ran several times a second under load; its background marking took 5.0 % of the process's CPU,
// and allocation with the collector's assists 11.1 % (perf, PUT /customer). At 200 they took 1.8 % and 8.2 %,
// for a heap up to three times the live one instead of twice (in the benchmark RSS 54 → 64 MiB during the
// load, peak since start 146 → 223 MiB). A billing run allocates alike (events, rows and charges per
// renewal, over a heap of cached states): at 200 its Go CPU per renewal fell by about a quarter
// (docs/benchmarks.md, the billing section, 2026-12-06).
// Warning: a higher target trades memory for CPU on every installation that sets nothing; an operator who
// sets either variable (to anything but the empty string) gets exactly what they set.
const Percent = 200

// Default is the target the commands apply, and whether they apply one: none when the operator chose the
// collector's pacing (GOGC or GOMEMLIMIT set to anything, "off" included).
func Default(getenv func(string) string) (percent int, apply bool) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return 0, false
	}
	return Percent, true
}

// Apply sets Default's target for this process.
func Apply() {
	if percent, apply := Default(os.Getenv); apply {
		debug.SetGCPercent(percent)
	}
}
