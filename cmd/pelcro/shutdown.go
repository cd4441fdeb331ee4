package main

import (
	"context"
	"fmt"
	"time"
)

// Shutdown budget. SIGTERM gives the process shutdownGrace in all: in-flight requests may run for the
// first shutdownGrace-stopReserve, then the projections, the mail deliverer and the connections stop in the
// rest. Orchestrators must wait at least this long before they SIGKILL (docker-compose.yml sets 25 s).
const (
	shutdownGrace = 20 * time.Second
	stopReserve   = 5 * time.Second
)

// finishWithin runs run until it returns, or until limit after ctx ended, whichever comes first: then it
// gives up on run, which goes on in the background until the process exits. It is the last line of defence
// of the shutdown budget: every part of serveOn is meant to stop in time by itself (a test holds each to
// it), but a dependency that ignores its context must not keep the process alive past its grace period,
// as the EventStoreDB client once did, until orchestrators killed it.
func finishWithin(ctx context.Context, limit time.Duration, run func() error) error {
	result := make(chan error, 1)
	go func() { result <- run() }()
	select {
	case err := <-result:
		return err
	case <-ctx.Done():
	}
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case err := <-result:
		return err
	case <-timer.C:
		return fmt.Errorf("shutdown: still stopping %v after the signal; exiting anyway", limit)
	}
}
