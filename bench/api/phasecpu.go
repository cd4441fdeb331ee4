package main

import (
	"context"
	"slices"
	"time"

	"github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"
	"github.com/pelcro-oss/pelcro-api/bench/internal/httpload"
)

// phaseCPU is the CPU time an API phase cost per request answered: the `pelcro serve` process's (the Go
// side) and the benchmark database's backends' (PostgreSQL). On a loaded machine requests/s follow the
// load; CPU per request much less so, which makes it the number to compare two binaries by.
type phaseCPU struct{ server, database time.Duration }

// measuredPhase runs phase and divides the CPU it cost the server process (pid) and the database by the
// requests it answered. Clock ticks are 10 ms, so a phase should cost well over a second of CPU.
//
// The closing samples are taken as soon as the last request is answered, without waiting for the server's
// projections to reach the head of the log: their work on the events written in the phase's last moments
// (as much as they lag behind then) is counted in no phase, so both figures understate a request's cost by
// that share, and a binary whose projections lag more looks cheaper. The raw phase that follows each API
// phase in compareWrites lets that tail fall outside the next measured phase.
func measuredPhase(ctx context.Context, db *benchenv.Database, pid int, phase func() (httpload.Result, error)) (httpload.Result, phaseCPU, error) {
	serverBefore, err := benchenv.ProcessCPU(pid)
	if err != nil {
		return httpload.Result{}, phaseCPU{}, err
	}
	dbBefore, err := db.SampleCPU(ctx)
	if err != nil {
		return httpload.Result{}, phaseCPU{}, err
	}
	r, err := phase()
	if err != nil {
		return r, phaseCPU{}, err // httpload.Loop fails a phase that answered nothing: no division by zero
	}
	serverAfter, err := benchenv.ProcessCPU(pid)
	if err != nil {
		return r, phaseCPU{}, err
	}
	dbAfter, err := db.SampleCPU(ctx)
	if err != nil {
		return r, phaseCPU{}, err
	}
	_, database := dbAfter.Since(dbBefore)
	n := time.Duration(r.Requests)
	return r, phaseCPU{server: (serverAfter - serverBefore) / n, database: database / n}, nil
}

// medianCPU is the median of the rounds, each side on its own.
func medianCPU(rounds []phaseCPU) phaseCPU {
	servers := make([]time.Duration, len(rounds))
	databases := make([]time.Duration, len(rounds))
	for i, r := range rounds {
		servers[i], databases[i] = r.server, r.database
	}
	slices.Sort(servers)
	slices.Sort(databases)
	mid := (len(rounds) - 1) / 2
	return phaseCPU{server: servers[mid], database: databases[mid]}
}
