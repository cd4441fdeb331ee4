package projections

import (
	"context"
	"errors"
	"maps"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// seenIgnored is a projection of the events every other test projection ignores (test.ignored), one row per
// event: in these logs it handles few of the events, as the catalog projections do in a real log.
func seenIgnored(env *testEnv) Projection {
	env.exec(`CREATE TABLE ignored_seen (stream text NOT NULL, revision bigint NOT NULL, PRIMARY KEY (stream, revision))`)
	return Projection{Name: "ignored.v1", Tables: []string{"ignored_seen"}, Handlers: []Handler{
		On(func(ctx context.Context, tx *sqlx.Tx, e Event[tickIgnored]) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO ignored_seen VALUES ($1, $2)`, e.Stream, e.Revision)
			return err
		}),
	}}
}

// tableRows is every row of table, as text, counted.
func tableRows(env *testEnv, table string) map[string]int {
	env.t.Helper()
	var rows []string
	if err := env.db.SelectContext(testContext(env.t), &rows, `SELECT t::text FROM `+table+` t`); err != nil {
		env.t.Fatalf("read %s: %v", table, err)
	}
	counted := map[string]int{}
	for _, r := range rows {
		counted[r]++
	}
	return counted
}

func TestRebuildAllLeavesWhatARebuildOfEachProjectionLeaves(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		log  func(env *testEnv) eventstore.Position // appends the log, returns its last position
	}{
		{"a short last page, the rare event in the middle", func(env *testEnv) eventstore.Position {
			env.ticks("a-1", 4)
			env.appendEvents("b-1", "test.ignored")
			return env.ticks("c-1", 2)
		}},
		{"pages filled exactly, the rare event first", func(env *testEnv) eventstore.Position {
			env.appendEvents("b-1", "test.ignored")
			return env.ticks("a-1", 5)
		}},
		{"the rare event last", func(env *testEnv) eventstore.Position {
			env.ticks("a-1", 7)
			return env.appendEvents("b-1", "test.ticked", "test.ignored")
		}},
		{"no event for the rare projection", func(env *testEnv) eventstore.Position { return env.ticks("a-1", 4) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// given three projections, one by handlers, one by Batch, one handling a rare event, and the log
			env := newEnv(t, postgresBackend)
			byHandler := &counting{name: "counts.v1", table: "stream_counts"}
			byHandler.create(env)
			byBatch := &counting{name: "batched.v1", table: "batched_counts"}
			byBatch.create(env)
			var batches []int
			handled := byHandler.projection()
			handled.Tables = []string{byHandler.table}
			all := []Projection{handled, batchedCounts(byBatch, &batches), seenIgnored(env)}
			last := c.log(env)
			cfg := Config{Store: env.store, DB: env.db, Registry: env.registry, RebuildBatchSize: 3}

			// when they are rebuilt in one pass, and then each by a Rebuild of its own
			reflected, err := RebuildAll(testContext(t), cfg, all)
			if err != nil {
				t.Fatalf("RebuildAll: %v", err)
			}
			onePass := map[string]map[string]int{}
			for _, p := range all {
				onePass[p.Tables[0]] = tableRows(env, p.Tables[0])
			}
			for i, p := range all {
				if err := samePosition(&reflected[i], last); err != nil {
					t.Errorf("%s after RebuildAll: %v", p.Name, err)
				}
				if err := samePosition(env.checkpointOf(p.Name), last); err != nil {
					t.Errorf("%s after RebuildAll: %v", p.Name, err)
				}
				at, err := Rebuild(testContext(t), cfg, p)
				if err != nil {
					t.Fatalf("Rebuild %s: %v", p.Name, err)
				}
				if err := samePosition(&at, last); err != nil {
					t.Errorf("%s after Rebuild: %v", p.Name, err)
				}
			}

			// then both leave the same rows and checkpoints, at the end of the log
			for table, rows := range onePass {
				if again := tableRows(env, table); !maps.Equal(rows, again) {
					t.Errorf("%s: one pass %v, its own rebuild %v", table, rows, again)
				}
			}
			if len(onePass["stream_counts"]) == 0 || !maps.Equal(onePass["stream_counts"], onePass["batched_counts"]) {
				t.Errorf("handlers counted %v, the batch %v", onePass["stream_counts"], onePass["batched_counts"])
			}
		})
	}
}

func TestRebuildAllThatFailsOnAnEventNamesItAndItsProjection(t *testing.T) {
	t.Parallel()
	// given a projection that cannot apply one event, in a pass with one that can
	env := newEnv(t, postgresBackend)
	counts := poisoned("poisoned.v1", "poisoned_counts")
	counts.create(env)
	broken := counts.projection()
	broken.Tables, broken.Batch = []string{counts.table}, failingBatch
	env.ticks("a-1", 2)
	env.ticks("poison-1", 1)
	env.ticks("a-1", 2)
	poison := env.poisonEvent()
	cfg := Config{Store: env.store, DB: env.db, Registry: env.registry, RebuildBatchSize: 3}

	// when they are rebuilt in one pass
	_, err := RebuildAll(testContext(t), cfg, []Projection{seenIgnored(env), broken})

	// then the failure names the event and the projection, as Rebuild's does
	var eventErr *EventError
	if !errors.As(err, &eventErr) || eventErr.Event != poison || eventErr.Projection != counts.name {
		t.Fatalf("RebuildAll = %v, want an EventError of %s on %+v", err, counts.name, poison)
	}
}

func TestRebuildAllOfAnEmptyLogFails(t *testing.T) {
	t.Parallel()
	env := newEnv(t, postgresBackend)
	cfg := Config{Store: env.store, DB: env.db, Registry: env.registry, RebuildBatchSize: 3}
	if _, err := RebuildAll(testContext(t), cfg, []Projection{seenIgnored(env)}); err == nil {
		t.Fatal("RebuildAll of an empty log succeeded")
	}
}
