package main

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// operation does one unit of work and returns how many events it wrote.
type operation func(ctx context.Context) (int, error)

// throughput runs op from `writers` goroutines for d and returns events per second. The first error stops
// the run: a benchmark that hides failures measures nothing.
func throughput(ctx context.Context, writers int, d time.Duration, op operation) (float64, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		events   atomic.Int64
		firstErr error
		once     sync.Once
		wg       sync.WaitGroup
	)
	deadline := time.Now().Add(d)
	start := time.Now()
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) && ctx.Err() == nil {
				n, err := op(ctx)
				if err != nil {
					once.Do(func() { firstErr = err; cancel() })
					return
				}
				events.Add(int64(n))
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return 0, firstErr
	}
	return float64(events.Load()) / time.Since(start).Seconds(), nil
}

// comparison is one workload measured on raw PostgreSQL and on our store.
type comparison struct {
	name     string
	raw      float64 // events/s
	store    float64 // events/s
	target   string  // the target for this row, "—" when it sets none
	rawLabel string
}

func (c comparison) ratio() float64 { return c.store / c.raw }

// compare alternates raw and store phases `rounds` times and reports the median of each side, so drift of a
// shared machine (other load, checkpoints, autovacuum) hits both sides alike and one disturbed phase does
// not move the result.
func compare(ctx context.Context, rounds, writers int, d time.Duration, raw, store operation) (float64, float64, error) {
	var rawRuns, storeRuns []float64
	for range rounds {
		r, err := throughput(ctx, writers, d, raw)
		if err != nil {
			return 0, 0, err
		}
		s, err := throughput(ctx, writers, d, store)
		if err != nil {
			return 0, 0, err
		}
		rawRuns, storeRuns = append(rawRuns, r), append(storeRuns, s)
	}
	return median(rawRuns), median(storeRuns), nil
}
