package main

import (
	"os"
	"runtime/debug"
)

// serveGCPercent is the garbage collector's target (GOGC) of `pelcro serve` when the environment sets
// neither GOGC nor GOMEMLIMIT. A write request allocates a few hundred KiB (requests, events, rows, the
// answer) over a live heap of a few tens of MiB: at Go's default (100) the collector ran several times a
// second under load and took 7-8 % of the process's CPU with its assists (perf, PUT /customer); at 200 it
// takes about a third of that, for a heap up to three times the live one instead of twice (RSS 54 → 64 MiB
// in the benchmark). Warning: a higher target trades memory for CPU on every server that sets nothing; an
// operator who sets either variable gets exactly what they set.
const serveGCPercent = 200

// serveGCDefault is the target serve applies, and whether it applies one: none when the operator chose the
// collector's pacing (GOGC or GOMEMLIMIT set to anything, "off" included).
func serveGCDefault(getenv func(string) string) (percent int, apply bool) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return 0, false
	}
	return serveGCPercent, true
}

// applyServeGCDefault sets serveGCDefault's target for this process.
func applyServeGCDefault() {
	if percent, apply := serveGCDefault(os.Getenv); apply {
		debug.SetGCPercent(percent)
	}
}
