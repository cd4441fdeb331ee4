package projections

import (
	"context"
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// A rebuild reads each page while it applies the one before (prefetch): ending its context between pages
// must end the rebuild with the context's error, leave the live tables alone, and not hang on the reader.
func TestARebuildWhoseContextEndsMidwayStopsWithoutSwapping(t *testing.T) {
	t.Parallel()
	// given twelve events, rebuilt three per batch, and live tables holding what the running projection wrote
	env := newEnv(t, postgresBackend)
	counts, projection := liveCountsOver(env, "cancelled", 12)
	cfg := Config{Store: env.store, DB: env.db, Registry: env.registry, RebuildBatchSize: 3}

	// when the rebuild's context ends after its second batch
	ctx, cancel := context.WithCancel(testContext(t))
	defer cancel()
	batches := 0
	_, err := Rebuild(ctx, cfg, projection, WithRebuildProgress(func(int, eventstore.Position) {
		if batches++; batches == 2 {
			cancel()
		}
	}))

	// then it fails with the context's error, after no further batch, and the live table is untouched
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Rebuild = %v, want context.Canceled", err)
	}
	if batches != 2 {
		t.Errorf("%d batches committed, want 2", batches)
	}
	counts.expectRows(t, env, map[string]int{"live-1": 1})
}

// liveCountsOver gives a rebuildable counting projection "<name>.v1" over a log of n events on stream
// "a-1", whose live table holds one row the running projection wrote ("live-1"), so a test can tell
// whether a rebuild swapped its tables in.
func liveCountsOver(env *testEnv, name string, n int) (*counting, Projection) {
	counts := &counting{name: name + ".v1", table: name + "_counts"}
	counts.create(env)
	projection := counts.projection()
	projection.Tables = []string{counts.table}
	env.ticks("a-1", n)
	env.exec(`INSERT INTO ` + counts.table + ` (stream, events, revision) VALUES ('live-1', 1, 0)`)
	return counts, projection
}
