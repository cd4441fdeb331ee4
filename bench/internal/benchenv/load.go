package benchenv

import (
	"os"
	"strings"
)

// LoadAverage is the 1, 5 and 15 minute load averages ("1.02 / 0.87 / 0.55"), or "unknown" off Linux: a
// report states it, since other work on a shared machine moves every figure.
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
