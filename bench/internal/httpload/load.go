// Package httpload is the load generator of the HTTP benchmarks: a fixed number of keep-alive connections,
// each sending requests back to back for a fixed time, every answer checked for the status it must have.
package httpload

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Request is one request of a rotation and the status its answer must have: a benchmark counting wrong
// answers as throughput measures nothing.
type Request struct {
	Method string // GET when empty
	URL    string
	Header http.Header
	Body   []byte
	Status int
}

// Result is one load phase: requests answered, per second, and latency percentiles.
type Result struct {
	Requests  int
	PerSecond float64
	P50, P99  time.Duration
}

// Rotation gives connection number conn (from 0) its i-th request. Connections may have requests of their
// own (a signed-in customer each) or share one list.
type Rotation func(conn, i int) Request

// Shared is a Rotation over one list, each connection starting at its own offset so they do not ask the
// same thing at the same time.
func Shared(requests []Request) Rotation {
	return func(conn, i int) Request { return requests[(conn+i)%len(requests)] }
}

// Run sends requests from `connections` goroutines over as many keep-alive connections for d, and stops by
// itself. The first transport error or unexpected status ends the phase with that error.
func Run(ctx context.Context, connections int, d time.Duration, rotation Rotation) (Result, error) {
	transport := &http.Transport{MaxIdleConnsPerHost: connections, MaxConnsPerHost: connections, DisableCompression: true}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}
	return Loop(ctx, connections, d, func(ctx context.Context, worker, i int) error {
		return Do(ctx, client, rotation(worker, i), nil)
	})
}

// Loop runs op back to back from `workers` goroutines for d (op gets its worker's number and how many it
// ran before), timing each, and stops by itself. The first error ends the phase with that error; an op cut
// short by the end of the phase is not counted. Every load of the benchmarks, HTTP or SQL, goes through it,
// so both sides of a comparison are timed alike.
func Loop(ctx context.Context, workers int, d time.Duration, op func(ctx context.Context, worker, i int) error) (Result, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		latencies []time.Duration
		firstErr  error
	)
	start := time.Now()
	for worker := range workers {
		wg.Go(func() {
			mine, err := repeat(ctx, op, worker)
			mu.Lock()
			defer mu.Unlock()
			latencies = append(latencies, mine...)
			if err != nil && firstErr == nil {
				firstErr = err
				cancel()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if firstErr != nil {
		return Result{}, firstErr
	}
	if len(latencies) == 0 {
		return Result{}, fmt.Errorf("nothing completed in %s", d)
	}
	slices.Sort(latencies)
	return Result{Requests: len(latencies), PerSecond: float64(len(latencies)) / elapsed.Seconds(),
		P50: latencies[len(latencies)/2], P99: latencies[len(latencies)*99/100]}, nil
}

// repeat is one worker's loop until ctx ends.
func repeat(ctx context.Context, op func(ctx context.Context, worker, i int) error, worker int) ([]time.Duration, error) {
	var latencies []time.Duration
	for i := 0; ctx.Err() == nil; i++ {
		began := time.Now()
		err := op(ctx, worker, i)
		if ctx.Err() != nil {
			return latencies, nil
		}
		if err != nil {
			return latencies, err
		}
		latencies = append(latencies, time.Since(began))
	}
	return latencies, nil
}

// Do sends one request, checks its status and, when into is not nil, hands it the body.
func Do(ctx context.Context, client *http.Client, r Request, into func([]byte) error) error {
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	req, err := http.NewRequestWithContext(ctx, method, r.URL, bytes.NewReader(r.Body))
	if err != nil {
		return err
	}
	for name, values := range r.Header {
		req.Header[name] = values
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != r.Status {
		return fmt.Errorf("%s %s: status %d, want %d: %.300s", method, r.URL, resp.StatusCode, r.Status, body)
	}
	if into != nil {
		return into(body)
	}
	return nil
}

// Median returns the result whose requests per second is the median of rounds (the middle one of an odd
// count, the lower middle of an even count), with its own latencies.
func Median(rounds []Result) Result {
	sorted := slices.Clone(rounds)
	slices.SortFunc(sorted, func(a, b Result) int {
		switch {
		case a.PerSecond < b.PerSecond:
			return -1
		case a.PerSecond > b.PerSecond:
			return 1
		}
		return 0
	})
	return sorted[(len(sorted)-1)/2]
}
