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

func TestKeyedDataVersionCountsEachKeyApart(t *testing.T) {
	t.Parallel()
	env := newEnv(t, postgresBackend)
	counts := &counting{name: "counts.v1", table: "stream_counts", guarded: true}
	counts.create(env)
	keyed := counts.projection()
	keyed.ChangeKey = func(data any) int64 { return int64(data.(ticked).N) } // the event's index in its append
	r := env.runner(prometheus.NewRegistry(), keyed)
	stop := start(t, r)
	defer func() {
		if err := stop(); err != nil {
			t.Errorf("run: %v", err)
		}
	}()

	// given three handled events projected, keyed 0, 1 and 2
	waitFor(t, r, env.ticks("a-1", 3), counts.name)
	// when one more follows, keyed 0
	waitFor(t, r, env.ticks("b-1", 1), counts.name)
	// then every change counts in all, and each key only its own
	cases := []struct {
		keys       []int64
		all, these uint64
	}{{[]int64{0}, 4, 2}, {[]int64{2}, 4, 1}, {[]int64{1, 2}, 4, 2}, {[]int64{7}, 4, 0}, {nil, 4, 0}}
	for _, c := range cases {
		if all, these := r.KeyedDataVersion(counts.name, c.keys); all != c.all || these != c.these {
			t.Errorf("KeyedDataVersion(%v) = %d, %d; want %d, %d", c.keys, all, these, c.all, c.these)
		}
	}
	if all, these := r.KeyedDataVersion("elsewhere.v1", []int64{0}); all != 0 || these != 0 {
		t.Errorf("a projection this runner does not run: %d, %d", all, these)
	}
}
