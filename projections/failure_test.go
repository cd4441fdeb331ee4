package projections

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// poisoned counts ticks like counting but fails for every event of the stream "poison-1".
func poisoned(name, table string) *counting {
	return &counting{name: name, table: table, fail: func(ev Event[ticked]) error {
		if ev.Stream == "poison-1" {
			return errInjected
		}
		return nil
	}}
}

func TestAFailingProjectionStopsAndTheOthersKeepRunning(t *testing.T) {
	t.Parallel()
	env := newEnv(t, postgresBackend)
	healthy := &counting{name: "healthy.v1", table: "healthy_counts"}
	broken := poisoned("broken.v1", "broken_counts")
	healthy.create(env)
	broken.create(env)

	// given an event the broken projection cannot apply, between others
	beforePoison := env.ticks("a-1", 2)
	env.ticks("poison-1", 1)
	afterPoison := env.ticks("a-1", 1)

	// when both projections run
	reg := prometheus.NewRegistry()
	r := env.runner(reg, healthy.projection(), broken.projection())
	stop := start(t, r)
	waitFor(t, r, afterPoison, healthy.name)
	eventually(t, "broken projection stopped", func() bool { return statusOf(t, r, broken.name).State == StateStopped })
	live := env.ticks("a-1", 1)
	waitFor(t, r, live, healthy.name)

	// then the broken one stopped at the event before the poison, after every retry, and says why
	broken.expectRows(t, env, map[string]int{"a-1": 2})
	if err := samePosition(env.checkpointOf(broken.name), beforePoison); err != nil {
		t.Fatal(err)
	}
	if status := statusOf(t, r, broken.name); !strings.Contains(status.LastError, errInjected.Error()) {
		t.Fatalf("status %+v does not carry the failure", status)
	}
	// (the four events reach it as one batch: the stop names the culprit, not the batch's first event)
	if status := statusOf(t, r, broken.name); status.Stop == nil || status.Stop.Event.Stream != "poison-1" {
		t.Fatalf("stop %+v does not name the poison event", status.Stop)
	}
	labels := map[string]string{"projection": broken.name}
	if got := metricValue(t, reg, "pelcro_projection_failures_total", labels); got != 4 {
		t.Fatalf("failures = %v, want 4 (one attempt and 3 retries)", got)
	}
	if got := metricValue(t, reg, "pelcro_projection_state", map[string]string{"projection": broken.name, "state": "stopped"}); got != 1 {
		t.Fatalf("stopped state gauge = %v", got)
	}
	if err := r.Ready(context.Background()); !errors.Is(err, ErrProjectionStopped) {
		t.Fatalf("Ready = %v, want ErrProjectionStopped", err)
	}
	if err := r.WaitFor(context.Background(), live, broken.name); !errors.Is(err, ErrProjectionStopped) {
		t.Fatalf("WaitFor on the stopped projection = %v, want ErrProjectionStopped", err)
	}
	// and the healthy one applied everything, live events included, and keeps the runner going
	healthy.expectRows(t, env, map[string]int{"a-1": 4, "poison-1": 1})
	if err := stop(); err != nil {
		t.Fatalf("Run with one projection still healthy = %v, want nil", err)
	}
	if status := statusOf(t, r, broken.name); status.State != StateStopped {
		t.Fatalf("after Run, stopped projection reports %s", status.State)
	}
}

func TestRunReturnsOnceEveryProjectionStopped(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		fail    func(Event[ticked]) error
		wantErr string
	}{
		{"apply returns an error", func(Event[ticked]) error { return errInjected }, errInjected.Error()},
		{"apply panics", func(Event[ticked]) error { panic("apply exploded") }, "apply exploded"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			env := newEnv(t, postgresBackend)
			broken := &counting{name: "broken.v1", table: "broken_counts", fail: c.fail}
			broken.create(env)
			env.ticks("a-1", 1)

			// when the only projection stops
			err := env.runner(nil, broken.projection()).Run(testContext(t))

			// then Run returns its failure and nothing was applied
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("Run = %v, want an error mentioning %q", err, c.wantErr)
			}
			broken.expectRows(t, env, map[string]int{})
			if pos := env.checkpointOf(broken.name); pos != nil {
				t.Fatalf("checkpoint advanced to %s past a failed event", pos)
			}
		})
	}
}
