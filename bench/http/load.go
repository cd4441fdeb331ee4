package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// request is one request of the rotation and the status its answer must have: a benchmark counting wrong
// answers as throughput measures nothing.
type request struct {
	url    string
	status int
}

// result is one load phase: requests per second and latency percentiles.
type result struct {
	perSecond float64
	p50, p99  time.Duration
}

// load sends the requests, rotating through them, from `connections` goroutines over as many keep-alive
// connections for d, and stops by itself. The first transport error or unexpected status ends the phase
// with that error.
func load(ctx context.Context, connections int, d time.Duration, requests []request) (result, error) {
	transport := &http.Transport{MaxIdleConnsPerHost: connections, MaxConnsPerHost: connections, DisableCompression: true}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: 10 * time.Second}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		latencies []time.Duration
		firstErr  error
	)
	start := time.Now()
	for worker := range connections {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine, err := send(ctx, client, requests, worker)
			mu.Lock()
			defer mu.Unlock()
			latencies = append(latencies, mine...)
			if err != nil && firstErr == nil {
				firstErr = err
				cancel()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if firstErr != nil {
		return result{}, firstErr
	}
	if len(latencies) == 0 {
		return result{}, fmt.Errorf("no request completed in %s", d)
	}
	slices.Sort(latencies)
	return result{perSecond: float64(len(latencies)) / elapsed.Seconds(),
		p50: latencies[len(latencies)/2], p99: latencies[len(latencies)*99/100]}, nil
}

// send is one connection's loop until ctx ends; it starts at its own offset of the rotation so the
// connections do not ask the same thing at the same time. A request cut short by the end of the phase is
// not counted.
func send(ctx context.Context, client *http.Client, requests []request, offset int) ([]time.Duration, error) {
	var latencies []time.Duration
	for i := offset; ctx.Err() == nil; i++ {
		r := requests[i%len(requests)]
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.url, nil)
		if err != nil {
			return nil, err
		}
		began := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return latencies, nil
			}
			return latencies, err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			if ctx.Err() != nil {
				return latencies, nil
			}
			return latencies, err
		}
		if resp.StatusCode != r.status {
			return latencies, fmt.Errorf("GET %s: status %d, want %d", r.url, resp.StatusCode, r.status)
		}
		latencies = append(latencies, time.Since(began))
	}
	return latencies, nil
}
