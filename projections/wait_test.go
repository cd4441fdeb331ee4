package projections

import (
	"context"
	"errors"
	"sync"
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
	// Given two live projections that linger an hour after each page; the first holds the second tick until
	// the second projection applied it, or 5 s, and notes which came first
	env := newEnv(t, postgresBackend)
	env.liveLinger = time.Hour
	secondApplied := make(chan struct{})
	sideBySide := make(chan bool, 1)
	first := &counting{name: "first.v1", table: "first_counts", fail: func(ev Event[ticked]) error {
		if ev.Revision == 1 {
			select {
			case <-secondApplied:
				notify(sideBySide, true)
			case <-time.After(5 * time.Second):
				notify(sideBySide, false)
			}
		}
		return nil
	}}
	var once sync.Once
	second := &counting{name: "second.v1", table: "second_counts", fail: func(ev Event[ticked]) error {
		if ev.Revision == 1 {
			once.Do(func() { close(secondApplied) })
		}
		return nil
	}}
	first.create(env)
	second.create(env)
	r := env.runner(nil, first.projection(), second.projection())
	start(t, r)
	names := []string{first.name, second.name}
	eventually(t, "both projections are live", func() bool {
		return statusOf(t, r, first.name).State == StateCaughtUp && statusOf(t, r, second.name).State == StateCaughtUp
	})
	reached := func(pos eventstore.Position) bool {
		for _, name := range names {
			if at := env.checkpointOf(name); at == nil || at.Compare(pos) < 0 {
				return false
			}
		}
		return true
	}
	one := env.ticks("a-1", 1) // applied with nobody waiting: each feed then lingers after this live page
	eventually(t, "both projections applied the first write", func() bool { return reached(one) })
	two := env.ticks("a-1", 1)
	time.Sleep(100 * time.Millisecond)
	if at := env.checkpointOf(first.name); at.Compare(two) >= 0 {
		t.Fatal("the first projection applied the second write with nobody waiting: it does not linger")
	}
	if at := env.checkpointOf(second.name); at.Compare(two) >= 0 {
		t.Fatal("the second projection applied the second write with nobody waiting: it does not linger")
	}

	// When a caller waits for both
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := r.WaitFor(ctx, two, names...); err != nil {
		t.Fatalf("the wait did not end the lingers: %v", err)
	}

	// Then both applied it side by side: the second did not wait for the first to be done
	if !<-sideBySide {
		t.Error("the second projection applied the write only once the first was done")
	}
}

func TestAWaitThatEndsLeavesNoProjectionWaitedFor(t *testing.T) {
	t.Parallel()
	// Given two projections and a position beyond the head of the log
	env := newEnv(t, postgresBackend)
	a := &counting{name: "a.v1", table: "a_counts"}
	b := &counting{name: "b.v1", table: "b_counts"}
	a.create(env)
	b.create(env)
	r := env.runner(nil, a.projection(), b.projection())
	start(t, r)
	beyond := eventstore.Position{Commit: env.ticks("a-1", 1).Commit + 1_000_000}

	// When a wait for both gives up
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := r.WaitFor(ctx, beyond, a.name, b.name); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitFor = %v, want the deadline", err)
	}

	// Then neither projection is still waited for
	for _, name := range []string{a.name, b.name} {
		if r.byName[name].tracker.Waited() {
			t.Errorf("%s is still waited for after the wait ended", name)
		}
	}
}

// notify leaves v in ch (a buffer of one) unless it holds one already: a handler applied again must not block.
func notify[T any](ch chan T, v T) {
	select {
	case ch <- v:
	default:
	}
}
