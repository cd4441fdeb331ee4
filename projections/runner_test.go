package projections

import (
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// TestProjectsHistoryThenLiveAndReplayChangesNothing runs over both event store backends.
func TestProjectsHistoryThenLiveAndReplayChangesNothing(t *testing.T) {
	t.Parallel()
	for _, b := range []backend{postgresBackend, esdbBackend} {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			env := newEnv(t, b)
			counts := &counting{name: "counts.v1", table: "stream_counts", guarded: true}
			counts.create(env)

			// given history on two streams
			env.ticks("a-1", 3)
			middle := env.ticks("b-1", 2)

			// when the projection starts, then catches up and goes live
			r := env.runner(prometheus.NewRegistry(), counts.projection())
			stop := start(t, r)
			waitFor(t, r, middle, counts.name)
			eventually(t, "caught up", func() bool { return statusOf(t, r, counts.name).State == StateCaughtUp })
			last := env.ticks("a-1", 2)
			waitFor(t, r, last, counts.name)

			// then every event is counted once and the checkpoint is the last position
			want := map[string]int{"a-1": 5, "b-1": 2}
			counts.expectRows(t, env, want)
			if err := samePosition(env.checkpointOf(counts.name), last); err != nil {
				t.Fatal(err)
			}
			if err := stop(); err != nil {
				t.Fatalf("run: %v", err)
			}

			// when projected again from an older checkpoint, then the rows do not change
			replays := []struct {
				name     string
				reset    func()
				replayed float64
			}{
				{"restart at the checkpoint", func() {}, 0},
				{"checkpoint reset to an earlier position", func() {
					env.exec(`UPDATE projection_checkpoints SET commit_pos = $1, prepare_pos = $2 WHERE projection = $3`,
						middle.Commit, middle.Prepare, counts.name)
				}, 2},
				{"checkpoint deleted", func() { env.exec(`DELETE FROM projection_checkpoints`) }, 7},
			}
			for _, replay := range replays {
				replay.reset()
				reg := prometheus.NewRegistry()
				again := env.runner(reg, counts.projection())
				stopAgain := start(t, again)
				waitFor(t, again, last, counts.name)
				counts.expectRows(t, env, want)
				if err := samePosition(env.checkpointOf(counts.name), last); err != nil {
					t.Fatalf("%s: %v", replay.name, err)
				}
				applied := metricValue(t, reg, "pelcro_projection_events_applied_total", map[string]string{"projection": counts.name})
				if applied != replay.replayed {
					t.Fatalf("%s: applied %v events again, want %v", replay.name, applied, replay.replayed)
				}
				if err := stopAgain(); err != nil {
					t.Fatalf("%s: run: %v", replay.name, err)
				}
			}
		})
	}
}

func TestUnknownAndUnhandledEventsOnlyAdvanceTheCheckpoint(t *testing.T) {
	t.Parallel()
	env := newEnv(t, postgresBackend)
	counts := &counting{name: "counts.v1", table: "stream_counts"}
	counts.create(env)
	// given events of a type nobody registered and of one the projection does not handle
	last := env.appendEvents("a-1", "test.ticked", "test.unknown", "test.ignored", "test.ticked")

	// when projected
	reg := prometheus.NewRegistry()
	r := env.runner(reg, counts.projection())
	start(t, r)
	waitFor(t, r, last, counts.name)

	// then only the handled events changed rows, and the checkpoint passed the others
	counts.expectRows(t, env, map[string]int{"a-1": 2})
	if err := samePosition(env.checkpointOf(counts.name), last); err != nil {
		t.Fatal(err)
	}
	for reason, want := range map[string]float64{ignoredUnknown: 1, ignoredUnhandled: 1} {
		if got := metricValue(t, reg, "pelcro_projection_events_ignored_total",
			map[string]string{"projection": counts.name, "reason": reason}); got != want {
			t.Fatalf("ignored %s = %v, want %v", reason, got, want)
		}
	}
}

func TestRunnerRejectsBadProjections(t *testing.T) {
	t.Parallel()
	registry := testRegistry(t)
	valid := (&counting{name: "counts.v1", table: "t"}).projection()
	cases := []struct {
		name        string
		projections []Projection
	}{
		{"name without version", []Projection{{Name: "counts"}}},
		{"upper-case name", []Projection{{Name: "Counts.v1"}}},
		{"duplicate name", []Projection{valid, valid}},
		{"two handlers for one type", []Projection{{Name: "twice.v1", Handlers: append(valid.Handlers, valid.Handlers...)}}},
		{"handler not built with On", []Projection{{Name: "zero.v1", Handlers: []Handler{{}}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := Config{Store: nopStore{}, DB: &sqlx.DB{}, Registry: registry}
			if _, err := NewRunner(cfg, c.projections...); err == nil {
				t.Fatal("NewRunner accepted it")
			}
		})
	}
}

// nopStore satisfies eventstore.Store for tests that never reach the store.
type nopStore struct{ eventstore.Store }
