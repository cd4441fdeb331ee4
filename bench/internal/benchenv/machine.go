package benchenv

import (
	"fmt"
	"os"
	"runtime/pprof"
	"strings"
)

// LoadAverage is the 1, 5 and 15 minute load averages ("2.10 / 1.35 / 0.90"), or "unknown" off Linux. Every
// report prints it: on a shared machine a ratio means little without the load it was measured under.
func LoadAverage() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	fields := strings.Fields(string(raw))
	if len(fields) < 3 {
		return "unknown"
	}
	return strings.Join(fields[:3], " / ")
}

// StartCPUProfile profiles the process into path until the returned stop is called; read it with
// `go tool pprof <binary> <path>` (add -focus to keep one side of a comparison).
func StartCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
