package projections

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// errWithNUL is a failure whose text PostgreSQL would refuse to store as is.
var errWithNUL = errors.New("refused a\x00b")

// poisonEvent is the recorded event of the stream "poison-1".
func (e *testEnv) poisonEvent() EventRef {
	e.t.Helper()
	events, err := e.store.ReadStream(testContext(e.t), "poison-1", eventstore.Forwards, eventstore.StreamStart(), 1)
	if err != nil || len(events) != 1 {
		e.t.Fatalf("read poison-1: %d events, %v", len(events), err)
	}
	return refOf(events[0])
}

// persistedStop is the stop of the projection as another process sees it (nil: none).
func (e *testEnv) persistedStop(name string) *Stop {
	e.t.Helper()
	statuses, err := ReadStatus(testContext(e.t), e.db)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, s := range statuses {
		if s.Name == name {
			return s.Stop
		}
	}
	return nil
}

func TestAStoppedProjectionNamesTheEventInStatusReadinessMetricsAndTheDatabase(t *testing.T) {
	t.Parallel()
	env := newEnv(t, postgresBackend)
	broken := &counting{name: "broken.v1", table: "broken_counts", fail: func(ev Event[ticked]) error {
		if ev.Stream == "poison-1" {
			return errWithNUL
		}
		return nil
	}}
	broken.create(env)
	env.ticks("a-1", 1)
	env.ticks("poison-1", 1)
	poison := env.poisonEvent()

	// when the projection gives up on the poison event
	reg := prometheus.NewRegistry()
	r := env.runner(reg, broken.projection())
	start(t, r)
	eventually(t, "projection stopped", func() bool { return statusOf(t, r, broken.name).State == StateStopped })

	// then its own status, the status another process reads and the readiness error all name the event
	own := statusOf(t, r, broken.name).Stop
	eventually(t, "stop recorded", func() bool { return env.persistedStop(broken.name) != nil })
	persisted := env.persistedStop(broken.name)
	var notReady *NotReadyError
	if err := r.Ready(testContext(t)); !errors.As(err, &notReady) || len(notReady.Stopped) != 1 || !errors.Is(err, ErrProjectionStopped) {
		t.Fatalf("Ready = %v, want a NotReadyError with one stopped projection", err)
	}
	for where, stop := range map[string]*Stop{"runner status": own, "database": persisted, "readiness": &notReady.Stopped[0]} {
		if stop == nil || stop.Projection != broken.name || stop.Event != poison {
			t.Fatalf("%s: stop = %+v, want %s on %+v", where, stop, broken.name, poison)
		}
	}
	// and the reason survives storage with the character PostgreSQL refuses replaced
	if persisted.Reason != own.Reason || !strings.Contains(persisted.Reason, "refused a b") {
		t.Fatalf("persisted reason %q, runner's %q", persisted.Reason, own.Reason)
	}
	// and readiness names the event without quoting the failure
	if text := notReady.Error(); strings.Contains(text, "refused") || !strings.Contains(text, poison.Position.String()) {
		t.Fatalf("readiness text %q must name the position and not quote the error", text)
	}
	details := notReady.ReadinessDetails().(readinessDetails)
	if got := details.Stopped[0]; got.Position != poison.Position.String() || got.Stream != "poison-1" ||
		got.Revision != 0 || got.EventType != "test.ticked" || got.EventID != poison.ID.String() {
		t.Fatalf("readiness details %+v", got)
	}
	// and the metric carries the position, labelled by event type
	labels := map[string]string{"projection": broken.name, "event_type": "test.ticked"}
	if got := metricValue(t, reg, "pelcro_projection_stopped_event_position", labels); got != float64(poison.Position.Commit) {
		t.Fatalf("stopped event position gauge = %v, want %d", got, poison.Position.Commit)
	}
}

func TestMovingPastTheStoppingEventClearsTheStop(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// moveOn gets the projection past the poison event once it is fixed.
		moveOn func(t *testing.T, env *testEnv, fixed Projection, last eventstore.Position)
	}{
		{"the restarted projection applies it", func(t *testing.T, env *testEnv, fixed Projection, last eventstore.Position) {
			r := env.runner(nil, fixed)
			start(t, r)
			waitFor(t, r, last, fixed.Name)
			if stop := statusOf(t, r, fixed.Name).Stop; stop != nil {
				t.Fatalf("restarted runner still reports %v", stop)
			}
		}},
		{"a rebuild moved past it before the restart", func(t *testing.T, env *testEnv, fixed Projection, last eventstore.Position) {
			fixed.Tables = []string{"poisoned_counts"}
			if _, err := Rebuild(testContext(t), Config{Store: env.store, DB: env.db, Registry: env.registry}, fixed); err != nil {
				t.Fatalf("Rebuild: %v", err)
			}
			if stop := env.persistedStop(fixed.Name); stop != nil {
				t.Fatalf("after the rebuild the status still shows %v", stop)
			}
			r := env.runner(nil, fixed)
			start(t, r)
			eventually(t, "running", func() bool { return statusOf(t, r, fixed.Name).State == StateCaughtUp })
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			env := newEnv(t, postgresBackend)
			var fixed atomic.Bool
			counts := &counting{name: "poisoned.v1", table: "poisoned_counts", fail: func(ev Event[ticked]) error {
				if ev.Stream == "poison-1" && !fixed.Load() {
					return errInjected
				}
				return nil
			}}
			counts.create(env)
			env.ticks("poison-1", 1)
			last := env.ticks("a-1", 2)

			// given a run that stopped on the poison event and recorded it
			first := env.runner(nil, counts.projection())
			stopFirst := start(t, first)
			eventually(t, "stop recorded", func() bool { return env.persistedStop(counts.name) != nil })
			_ = stopFirst()

			// when a fixed release gets past the event
			fixed.Store(true)
			c.moveOn(t, env, counts.projection(), last)

			// then no stop is shown or kept, and every event is applied once
			eventually(t, "stop row deleted", func() bool {
				var rows int
				if err := env.db.GetContext(testContext(t), &rows, `SELECT count(*) FROM projection_stops`); err != nil {
					t.Fatal(err)
				}
				return rows == 0
			})
			if stop := env.persistedStop(counts.name); stop != nil {
				t.Fatalf("status still shows %v", stop)
			}
			counts.expectRows(t, env, map[string]int{"poison-1": 1, "a-1": 2})
		})
	}
}
