package projections

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestDataVersionMovesOnlyWithHandledEvents(t *testing.T) {
	t.Parallel()
	env := newEnv(t, postgresBackend)
	counts := &counting{name: "counts.v1", table: "stream_counts", guarded: true}
	counts.create(env)
	r := env.runner(prometheus.NewRegistry(), counts.projection())
	stop := start(t, r)
	defer func() {
		if err := stop(); err != nil {
			t.Errorf("run: %v", err)
		}
	}()

	// given two handled events projected
	waitFor(t, r, env.ticks("a-1", 2), counts.name)
	before := r.DataVersion(counts.name)
	if before != 2 {
		t.Fatalf("version after two handled events = %d, want 2", before)
	}
	// when only events the projection does not handle follow, then the version stays
	waitFor(t, r, env.appendEvents("a-1", "test.unknown", "test.unknown"), counts.name)
	if got := r.DataVersion(counts.name); got != before {
		t.Fatalf("version moved to %d on unhandled events", got)
	}
	// when a handled event follows, then it moves; projections this runner does not run count as nothing
	waitFor(t, r, env.ticks("b-1", 1), counts.name)
	if got := r.DataVersion(counts.name, "elsewhere.v1"); got != before+1 {
		t.Fatalf("version after one more handled event = %d, want %d", got, before+1)
	}
}
