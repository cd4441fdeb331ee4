package main

import "github.com/pelcro-oss/pelcro-api/internal/gcpace"

// serveGCPercent is the garbage collector's target (GOGC) of `pelcro serve` when the environment sets
// neither GOGC nor GOMEMLIMIT (gcpace.Apply). A write request allocates a few hundred KiB (requests,
// events, rows, the answer) over a live heap of a few tens of MiB: at Go's default (100) the collector ran
// several times a second under load; its background marking took 5.0 % of the process's CPU, and allocation
// with the collector's assists 11.1 % (perf, PUT /customer). At 200 they took 1.8 % and 8.2 %, for a heap up
// to three times the live one instead of twice (in the benchmark RSS 54 → 64 MiB during the load, peak since
// start 146 → 223 MiB). Warning: a higher target trades memory for CPU on every server that sets nothing.
const serveGCPercent = 200

// applyServeGCDefault sets serveGCPercent for this process unless the operator chose the collector's pacing.
func applyServeGCDefault() { gcpace.Apply(serveGCPercent) }
