// Package gcpace sets the garbage collector's target (GOGC) of a pelcro process that the operator left to
// us: `pelcro serve` and the batch commands that read the whole log (`pelcro projections rebuild`,
// `pelcro replay`) each pass the target they were measured with (both 200 today, for different reasons:
// see serveGCPercent in cmd/pelcro and BatchPercent). An operator who sets GOGC or GOMEMLIMIT (to anything
// but the empty string, "off" included) always gets exactly what they set.
package gcpace

import (
	"os"
	"runtime/debug"
)

// BatchPercent is the target of the commands that read the whole log and write read models from it. They
// allocate every event they read (rows, payloads, decoded values) and drop it a few pages later, over a
// live heap of a few pages (tens of MiB): at Go's default (100) the collector took about a quarter of a
// rebuild's Go CPU. Measured on a newsletters.v1 rebuild of 200,000 events (bench/rebuild, 2 cores, three
// rounds each): Go CPU per rebuild 1.58–1.61 s at 100, 1.38–1.42 s at 200, 1.23–1.36 s at 400; the
// benchmark process's peak RSS (its own copy of the rows included) 235, 356 and 488–605 MiB; at 1,000,000
// events 400 took that peak to 1.5 GiB. 200 keeps most of the saving for a heap up to three times the live
// one instead of twice. Warning: raising it multiplies that peak; a rebuild running beside `pelcro serve`
// on a small machine may want GOMEMLIMIT set instead.
const BatchPercent = 200

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
