package projections

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestWaitForReturnsOnceReachedAndTimesOutOtherwise(t *testing.T) {
	t.Parallel()
	env := newEnv(t, postgresBackend)
	counts := &counting{name: "counts.v1", table: "stream_counts"}
	counts.create(env)
	r := env.runner(nil, counts.projection())
	start(t, r)
	reachedPos := env.ticks("a-1", 2)
	waitFor(t, r, reachedPos, counts.name)
	// elsewhere runs no projection: it stands for another process sharing the read-model database
	elsewhere := env.runner(nil)
	beyond := eventstore.Position{Commit: reachedPos.Commit + 1_000_000}

	cases := []struct {
		name    string
		waiter  *Runner
		target  eventstore.Position
		wantErr error
	}{
		{"this runner, reached", r, reachedPos, nil},
		{"this runner, beyond the head", r, beyond, context.DeadlineExceeded},
		{"another process, reached", elsewhere, reachedPos, nil},
		{"another process, beyond the head", elsewhere, beyond, context.DeadlineExceeded},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			err := c.waiter.WaitFor(ctx, c.target, counts.name)
			if (c.wantErr == nil) != (err == nil) || (c.wantErr != nil && !errors.Is(err, c.wantErr)) {
				t.Fatalf("WaitFor = %v, want %v", err, c.wantErr)
			}
		})
	}
}

func TestWaitForWakesOnTheCommitWhenNotRunningYet(t *testing.T) {
	t.Parallel()
	env := newEnv(t, postgresBackend)
	counts := &counting{name: "counts.v1", table: "stream_counts"}
	counts.create(env)
	r := env.runner(nil, counts.projection())
	pos := env.ticks("a-1", 1)

	// given a caller waiting before the projection applied the event
	waited := make(chan error, 1)
	go func() { waited <- r.WaitFor(testContext(t), pos, counts.name) }()
	select {
	case err := <-waited:
		t.Fatalf("WaitFor returned %v before the runner started", err)
	case <-time.After(50 * time.Millisecond):
	}

	// when the runner applies it, then the waiter returns
	start(t, r)
	if err := <-waited; err != nil {
		t.Fatalf("WaitFor: %v", err)
	}
	if errors.Is(r.Ready(context.Background()), ErrProjectionStopped) {
		t.Fatal("healthy runner reported stopped")
	}
}

func TestAWaitEndsTheLingerOfEveryProjectionItNames(t *testing.T) {
	t.Parallel()
	// Given two live projections that linger an hour after each page, the first slow to apply the second tick
	env := newEnv(t, postgresBackend)
	env.liveLinger = time.Hour
	slowEnd := make(chan time.Time, 1)
	slow := &counting{name: "slow.v1", table: "slow_counts", fail: func(ev Event[ticked]) error {
		if ev.Revision == 1 {
			time.Sleep(300 * time.Millisecond)
			slowEnd <- time.Now()
		}
		return nil
	}}
	fastAt := make(chan time.Time, 1)
	fast := &counting{name: "fast.v1", table: "fast_counts", fail: func(ev Event[ticked]) error {
		if ev.Revision == 1 {
			fastAt <- time.Now()
		}
		return nil
	}}
	slow.create(env)
	fast.create(env)
	r := env.runner(nil, slow.projection(), fast.projection())
	start(t, r)
	names := []string{slow.name, fast.name}
	eventually(t, "both projections are live", func() bool {
		return statusOf(t, r, slow.name).State == StateCaughtUp && statusOf(t, r, fast.name).State == StateCaughtUp
	})
	first := env.ticks("a-1", 1) // applied with nobody waiting: each feed then lingers after this live page
	eventually(t, "both projections applied the first write", func() bool {
		for _, name := range names {
			if at := env.checkpointOf(name); at == nil || at.Compare(first) < 0 {
				return false
			}
		}
		return true
	})

	// When a caller writes again and waits for both
	pos := env.ticks("a-1", 1)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.WaitFor(ctx, pos, names...); err != nil {
		t.Fatalf("the wait did not end the lingers: %v", err)
	}

	// Then both applied it at once, side by side: the second did not wait for the first to be done
	if fast, slow := <-fastAt, <-slowEnd; !fast.Before(slow) {
		t.Errorf("the second projection applied the write %s after the first was done", fast.Sub(slow))
	}
}
