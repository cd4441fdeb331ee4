package projections

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestACommitFailureIsRetriedWithoutDuplicateOrGap(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// arrange makes the first two transactions applying an event fail and returns the projection.
		arrange func(env *testEnv) *counting
	}{
		{"deferred constraint fails at commit", func(env *testEnv) *counting {
			c := &counting{name: "counts.v1", table: "stream_counts"}
			c.create(env)
			env.exec(`CREATE SEQUENCE commit_attempts;
				CREATE FUNCTION fail_first_commits() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN
					IF nextval('commit_attempts') <= 2 THEN RAISE EXCEPTION 'forced failure at commit'; END IF;
					RETURN NULL;
				END $$;
				CREATE CONSTRAINT TRIGGER fail_at_commit AFTER INSERT OR UPDATE ON stream_counts
					DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fail_first_commits();`)
			return c
		}},
		{"apply fails after writing its row", func(env *testEnv) *counting {
			var failures atomic.Int32
			c := &counting{name: "counts.v1", table: "stream_counts", fail: func(Event[ticked]) error {
				if failures.Add(1) <= 2 {
					return errInjected
				}
				return nil
			}}
			c.create(env)
			return c
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			env := newEnv(t, postgresBackend)
			// given a projection whose rows count every apply (no revision guard: a duplicate would show)
			counts := c.arrange(env)
			env.ticks("a-1", 2)
			last := env.ticks("b-1", 1)

			// when the first two transactions fail
			reg := prometheus.NewRegistry()
			r := env.runner(reg, counts.projection())
			start(t, r)
			waitFor(t, r, last, counts.name)

			// then the retried event was applied exactly once and no event is missing
			counts.expectRows(t, env, map[string]int{"a-1": 2, "b-1": 1})
			if err := samePosition(env.checkpointOf(counts.name), last); err != nil {
				t.Fatal(err)
			}
			if got := metricValue(t, reg, "pelcro_projection_failures_total", map[string]string{"projection": counts.name}); got != 2 {
				t.Fatalf("failures = %v, want 2", got)
			}
		})
	}
}

func TestACommittedButUnacknowledgedEventIsNotAppliedTwice(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// kill ends the process right after the commit; otherwise the event is Nacked and redelivered.
		kill bool
	}{
		{"process killed between commit and ack, restarted from the checkpoint", true},
		{"event nacked after its commit and redelivered", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			env := newEnv(t, postgresBackend)
			env.liveBatch = 1 // the acknowledgement of one event in the middle of the log is lost
			counts := &counting{name: "counts.v1", table: "stream_counts"}
			counts.create(env)
			env.ticks("a-1", 1)
			crashAt := env.ticks("a-1", 1)
			last := env.ticks("b-1", 2)

			// given a runner that loses the acknowledgement of an event it committed
			ctx, kill := context.WithCancel(context.Background())
			defer kill()
			var lost atomic.Bool
			first := env.runner(nil, counts.projection())
			first.byName[counts.name].afterCommit = func(_ context.Context, pos eventstore.Position) error {
				if pos.Compare(crashAt) != 0 || lost.Swap(true) {
					return nil
				}
				if c.kill {
					kill()
				}
				return errInjected
			}
			reg := prometheus.NewRegistry()
			r := first
			if c.kill {
				// when the process dies there, and a new one starts from the checkpoint
				if err := first.Run(ctx); err != nil {
					t.Fatalf("killed run: %v", err)
				}
				if err := samePosition(env.checkpointOf(counts.name), crashAt); err != nil {
					t.Fatalf("after the kill: %v", err)
				}
				r = env.runner(reg, counts.projection())
			}
			start(t, r)
			waitFor(t, r, last, counts.name)

			// then every event is applied exactly once
			counts.expectRows(t, env, map[string]int{"a-1": 2, "b-1": 2})
			if err := samePosition(env.checkpointOf(counts.name), last); err != nil {
				t.Fatal(err)
			}
			if !lost.Load() {
				t.Fatal("the acknowledgement was never lost: the test proved nothing")
			}
			if c.kill {
				if got := metricValue(t, reg, "pelcro_projection_events_applied_total", map[string]string{"projection": counts.name}); got != 2 {
					t.Fatalf("restarted runner applied %v events, want the 2 after the checkpoint", got)
				}
			}
		})
	}
}
