package main

import (
	"fmt"
	"slices"
	"syscall"
	"time"
)

// processCPUTime is the CPU time (user and system) this process has used so far: both servers and the load
// generator run in it, so a phase's share is the whole cost of its requests, client side included.
func processCPUTime() (time.Duration, error) {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		return 0, fmt.Errorf("getrusage: %w", err)
	}
	return time.Duration(usage.Utime.Nano() + usage.Stime.Nano()), nil
}

// medianDuration is the middle value (the lower middle of an even count).
func medianDuration(values []time.Duration) time.Duration {
	sorted := slices.Clone(values)
	slices.Sort(sorted)
	return sorted[(len(sorted)-1)/2]
}
