package projections

import (
	"slices"
	"testing"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestRebuildReportsProgressAfterEachBatch(t *testing.T) {
	t.Parallel()
	// given seven events, rebuilt three per batch
	env := newEnv(t, postgresBackend)
	counts := &counting{name: "progress.v1", table: "progress_counts"}
	counts.create(env)
	projection := counts.projection()
	projection.Tables = []string{counts.table}
	env.ticks("a-1", 4)
	last := env.ticks("b-1", 3)
	cfg := Config{Store: env.store, DB: env.db, Registry: env.registry, RebuildBatchSize: 3}

	// when rebuilt with a progress callback
	var applied []int
	var lastAt eventstore.Position
	_, err := Rebuild(testContext(t), cfg, projection, WithRebuildProgress(func(n int, at eventstore.Position) {
		applied, lastAt = append(applied, n), at
	}))
	if err != nil {
		t.Fatalf("Rebuild: %v", err)
	}

	// then it heard of every batch, ending at the last event
	if want := []int{3, 6, 7}; !slices.Equal(applied, want) {
		t.Errorf("progress = %v, want %v", applied, want)
	}
	if lastAt != last {
		t.Errorf("last progress at %v, want %v", lastAt, last)
	}
	counts.expectRows(t, env, map[string]int{"a-1": 4, "b-1": 3})
}
