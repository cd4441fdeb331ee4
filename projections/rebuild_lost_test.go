package projections

import (
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// Rebuild batches commit without waiting for the disk (noFlushWait): a PostgreSQL crash may lose the last
// of them while the rebuild carries on. The fresh schema's progress row then lags behind the rebuild, which
// must fail rather than swap in tables that miss events.
func TestARebuildWhoseFreshTablesLostCommittedBatchesRefusesToSwap(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		lostAfter int // the batch after whose commit the loss is staged
	}{
		{"lost before the next batch", 1},
		{"lost before the swap", 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// given five events rebuilt two per batch (three batches), and a live table the running
			// projection wrote
			env := newEnv(t, postgresBackend)
			counts, projection := liveCountsOver(env, "lost", 5)
			cfg := Config{Store: env.store, DB: env.db, Registry: env.registry, RebuildBatchSize: 2}

			// when, after a batch committed, the fresh tables are back where they stood before any (as if
			// PostgreSQL had lost the commits)
			batches := 0
			_, err := Rebuild(testContext(t), cfg, projection, WithRebuildProgress(func(int, eventstore.Position) {
				if batches++; batches == c.lostAfter {
					env.exec(`UPDATE rebuild_lost_v1.pelcro_rebuild_progress SET applied_through = ''`)
				}
			}))

			// then the rebuild fails saying so, and the live table is untouched
			if err == nil || !strings.Contains(err.Error(), "lost batches they had committed") {
				t.Fatalf("Rebuild = %v, want a refusal naming the lost batches", err)
			}
			counts.expectRows(t, env, map[string]int{"live-1": 1})
		})
	}
}
