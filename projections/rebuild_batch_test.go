package projections

import (
	"context"
	"fmt"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// batchedCounts gives the counting projection a set-based Batch: one statement per batch adds each stream's
// events. It fails on an event its handlers do not handle, so a leak of ignored events shows.
func batchedCounts(c *counting, batches *[]int) Projection {
	p := c.projection()
	p.Tables = []string{c.table}
	p.Batch = func(ctx context.Context, tx *sqlx.Tx, events []Event[any]) error {
		*batches = append(*batches, len(events))
		streams, revisions := make([]string, len(events)), make([]int64, len(events))
		for i, e := range events {
			if _, ok := e.Data.(ticked); !ok {
				return fmt.Errorf("batch got a %T", e.Data)
			}
			streams[i], revisions[i] = e.Stream, int64(e.Revision)
		}
		_, err := tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO %s AS t (stream, events, revision)
			SELECT s, count(*), max(r) FROM unnest($1::text[], $2::bigint[]) AS u(s, r) GROUP BY s
			ON CONFLICT (stream) DO UPDATE SET events = t.events + excluded.events, revision = excluded.revision`, c.table),
			pq.Array(streams), pq.Array(revisions))
		return err
	}
	return p
}

// batchedCountsEnv is a PostgreSQL environment with the counting projection's table and batchedCounts over
// it, which records each batch's size in batches.
func batchedCountsEnv(t *testing.T) (*testEnv, *counting, Projection, *[]int) {
	t.Helper()
	e := newEnv(t, postgresBackend)
	counts := &counting{name: "counts.v1", table: "stream_counts"}
	counts.create(e)
	batches := &[]int{}
	return e, counts, batchedCounts(counts, batches), batches
}

func TestRebuildAppliesBatchesThroughBatch(t *testing.T) {
	t.Parallel()
	env, counts, projection, batches := batchedCountsEnv(t)
	// given a log of handled and ignored events
	env.ticks("a-1", 4)
	env.appendEvents("b-1", "test.ticked", "test.ignored", "test.ticked")
	last := env.ticks("c-1", 2)

	// when rebuilt in batches of three events
	cfg := Config{Store: env.store, DB: env.db, Registry: env.registry, RebuildBatchSize: 3}
	reflected, err := Rebuild(testContext(t), cfg, projection)
	if err != nil {
		t.Fatalf("Rebuild: %v", err)
	}

	// then Batch saw the handled events only, at most a batch at a time, and the tables count each once
	if err := samePosition(&reflected, last); err != nil {
		t.Fatalf("rebuilt tables reflect: %v", err)
	}
	counts.expectRows(t, env, map[string]int{"a-1": 4, "b-1": 2, "c-1": 2})
	total := 0
	for _, n := range *batches {
		if n > 3 {
			t.Fatalf("batches = %v, want none over 3 events", *batches)
		}
		total += n
	}
	if total != 8 {
		t.Fatalf("batches = %v, want 8 handled events in all", *batches)
	}
}

func TestRebuildAppliesAFreshRebuildBatchOfItsOwn(t *testing.T) {
	t.Parallel()
	env, counts, projection, _ := batchedCountsEnv(t)
	// given a projection whose rebuilds have a Batch of their own, made afresh for each
	made := 0
	rebuildBatch := projection.Batch
	projection.RebuildBatch = func() BatchFunc {
		made++
		return rebuildBatch
	}
	projection.Batch = func(context.Context, *sqlx.Tx, []Event[any]) error {
		return fmt.Errorf("a rebuild applied the running projection's Batch")
	}
	env.ticks("a-1", 4)
	last := env.ticks("b-1", 2)

	// when it is rebuilt twice
	cfg := Config{Store: env.store, DB: env.db, Registry: env.registry, RebuildBatchSize: 3}
	for range 2 {
		reflected, err := Rebuild(testContext(t), cfg, projection)
		if err != nil {
			t.Fatalf("Rebuild: %v", err)
		}
		if err := samePosition(&reflected, last); err != nil {
			t.Fatalf("rebuilt tables reflect: %v", err)
		}
	}

	// then each rebuild made one and applied every event through it
	if made != 2 {
		t.Fatalf("RebuildBatch called %d times for two rebuilds, want 2", made)
	}
	counts.expectRows(t, env, map[string]int{"a-1": 4, "b-1": 2})
}
