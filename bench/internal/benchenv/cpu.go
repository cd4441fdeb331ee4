package benchenv

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// CPUSample is the CPU time spent so far by this process and by each PostgreSQL backend attached to the
// benchmark's database. On a shared machine wall time follows the load; CPU time much less so, which
// makes it the better guide for choosing between two ways of doing the same work.
type CPUSample struct {
	process  time.Duration
	backends map[int]time.Duration
}

// SampleCPU reads the CPU times now (Linux only: elsewhere the backends' share reads as zero).
func (d *Database) SampleCPU(ctx context.Context) (CPUSample, error) {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		return CPUSample{}, err
	}
	s := CPUSample{process: time.Duration(usage.Utime.Nano() + usage.Stime.Nano()), backends: map[int]time.Duration{}}
	var pids []int
	if err := d.DB.SelectContext(ctx, &pids, `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`); err != nil {
		return s, err
	}
	for _, pid := range pids {
		if cpu, err := ProcessCPU(pid); err == nil {
			s.backends[pid] = cpu
		}
	}
	return s, nil
}

// Since is the CPU time spent between earlier and s, by this process and by the database's backends
// (those that ended in between are not counted).
func (s CPUSample) Since(earlier CPUSample) (process, database time.Duration) {
	for pid, cpu := range s.backends {
		database += cpu - earlier.backends[pid]
	}
	return s.process - earlier.process, database
}

// ProcessCPU is the user + system time of a process, such as a `pelcro serve` child, from /proc/<pid>/stat
// (fields 14 and 15, in clock ticks of 1/100 s on Linux).
func ProcessCPU(pid int) (time.Duration, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	text := string(raw)
	fields := strings.Fields(text[strings.LastIndexByte(text, ')')+1:]) // the name may hold spaces
	if len(fields) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(fields))
	}
	user, err1 := strconv.ParseInt(fields[11], 10, 64)
	system, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%d/stat: bad times", pid)
	}
	return time.Duration(user+system) * 10 * time.Millisecond, nil
}

// WithCPU runs pass and adds to its measurement the CPU time it cost this process and the database.
func (d *Database) WithCPU(ctx context.Context, pass func() (Measurement, error)) (Measurement, error) {
	before, err := d.SampleCPU(ctx)
	if err != nil {
		return Measurement{}, err
	}
	m, err := pass()
	if err != nil {
		return m, err
	}
	after, err := d.SampleCPU(ctx)
	m.GoCPU, m.DatabaseCPU = after.Since(before)
	return m, err
}
