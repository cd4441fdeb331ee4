package projections

import (
	"context"
	"fmt"
	"testing"
)

func TestRebuildRecomputesTheTablesAndSwapsThemIn(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// live runs the projection during the rebuild while events keep being appended.
		live bool
	}{
		{"while the projection runs and events keep coming", true},
		{"with no runner and no checkpoint yet", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			env := newEnv(t, postgresBackend)
			// rows count every apply (no revision guard): a duplicate or a gap across the swap would show
			counts := &counting{name: "counts.v1", table: "stream_counts"}
			counts.create(env)
			projection := counts.projection()
			projection.Tables = []string{counts.table}
			env.ticks("a-1", 4)
			last := env.ticks("b-1", 3)
			want := map[string]int{"a-1": 4, "b-1": 3}

			// given live tables that are wrong (as if written by a buggy earlier release)
			var r *Runner
			if c.live {
				r = env.runner(nil, projection)
				start(t, r)
				waitFor(t, r, last, counts.name)
			}
			env.exec(`INSERT INTO stream_counts VALUES ('bogus', 99, 0)`)

			// when rebuilt in small batches while (in the live case) appends continue
			appended := make(chan error, 1)
			go func() {
				if !c.live {
					appended <- nil
					return
				}
				for range 20 {
					env.ticks("c-1", 1)
				}
				appended <- nil
			}()
			cfg := Config{Store: env.store, DB: env.db, Registry: env.registry, RebuildBatchSize: 3}
			reflected, err := Rebuild(testContext(t), cfg, projection)
			if err != nil {
				t.Fatalf("Rebuild: %v", err)
			}
			<-appended

			// then the tables hold exactly the log's counts, and the runner carries on from the swap
			if c.live {
				want["c-1"] = 20
				last = env.ticks("a-1", 1)
				want["a-1"]++
				waitFor(t, r, last, counts.name)
			} else if err := samePosition(&reflected, last); err != nil {
				t.Fatalf("rebuilt tables reflect: %v", err)
			}
			counts.expectRows(t, env, want)
			if err := samePosition(env.checkpointOf(counts.name), last); err != nil {
				t.Fatal(err)
			}
			var leftovers int
			if err := env.db.GetContext(context.Background(), &leftovers,
				`SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'rebuild\_%' OR nspname LIKE 'retired\_%'`); err != nil || leftovers != 0 {
				t.Fatal(fmt.Errorf("%d rebuild schemas left (%v)", leftovers, err))
			}
		})
	}
}
