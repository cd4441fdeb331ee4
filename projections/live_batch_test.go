package projections

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestARunningProjectionAppliesWhatIsReadyInOneTransaction(t *testing.T) {
	t.Parallel()
	env := newEnv(t, postgresBackend)
	counts := &counting{name: "counts.v1", table: "stream_counts"}
	counts.create(env)
	// Given a backlog of 300 events written before the projection starts,
	env.ticks("a-1", 150)
	last := env.ticks("b-1", 150)
	// when it runs,
	r := env.runner(nil, counts.projection())
	var commits atomic.Int32
	r.byName[counts.name].afterCommit = func(context.Context, eventstore.Position) error {
		commits.Add(1)
		return nil
	}
	stop := start(t, r)
	waitFor(t, r, last, counts.name)
	// (waiters wake before afterCommit runs: stop the runner so the last batch's count is in)
	_ = stop()
	// then it applied them in batches of at most LiveBatchSize events, not one transaction each,
	if n := commits.Load(); n < 2 || n > 10 {
		t.Fatalf("%d transactions for 300 events, want a few batches of at most %d", n, liveBatchSize)
	}
	// and every event exactly once, with the checkpoint at the last.
	counts.expectRows(t, env, map[string]int{"a-1": 150, "b-1": 150})
	if err := samePosition(env.checkpointOf(counts.name), last); err != nil {
		t.Fatal(err)
	}
}

func TestACrashInTheMiddleOfABatchLeavesTheReadModelAndTheCheckpointTogether(t *testing.T) {
	t.Parallel()
	env := newEnv(t, postgresBackend)
	// Given a projection whose rows count every apply (a duplicate would show),
	ctx, kill := context.WithCancel(context.Background())
	defer kill()
	var applied atomic.Int32
	counts := &counting{name: "counts.v1", table: "stream_counts", fail: func(Event[ticked]) error {
		if applied.Add(1) == 3 {
			kill() // the process dies while the batch's transaction is open, after two of its rows
			return context.Canceled
		}
		return nil
	}}
	counts.create(env)
	first := env.ticks("a-1", 2)
	env.ticks("b-1", 2)
	last := env.ticks("c-1", 1)
	// when the process dies in the middle of the batch,
	if err := env.runner(nil, counts.projection()).Run(ctx); err != nil {
		t.Fatalf("killed run: %v", err)
	}
	// then the rows show exactly the events up to the checkpoint: none of the batch the crash cut (the feed
	// reads ahead, so the events before the third may have come as a batch of their own and committed),
	pos := env.checkpointOf(counts.name)
	switch rows := counts.rows(env); {
	case pos == nil:
		counts.expectRows(t, env, map[string]int{})
	case pos.Compare(first) < 0:
		counts.expectRows(t, env, map[string]int{"a-1": 1})
	case pos.Compare(first) == 0:
		counts.expectRows(t, env, map[string]int{"a-1": 2})
	default:
		t.Fatalf("checkpoint at %s, past the two events applied before the crash (the second at %s); rows %v", pos, first, rows)
	}
	// and a new process applies every event exactly once.
	r := env.runner(nil, counts.projection())
	start(t, r)
	waitFor(t, r, last, counts.name)
	counts.expectRows(t, env, map[string]int{"a-1": 2, "b-1": 2, "c-1": 1})
}

func TestARunningProjectionAppliesABatchThroughItsBatchFunc(t *testing.T) {
	t.Parallel()
	env := newEnv(t, postgresBackend)
	counts := &counting{name: "counts.v1", table: "stream_counts"}
	counts.create(env)
	// Given a projection with a Batch, and a backlog
	var batches, perEvent atomic.Int32
	p := counts.projection()
	handler := p.Handlers[0]
	p.Handlers = []Handler{On(func(ctx context.Context, tx *sqlx.Tx, e Event[ticked]) error {
		perEvent.Add(1)
		return handler.apply(ctx, tx, e.Envelope, e.Data)
	})}
	p.Batch = func(ctx context.Context, tx *sqlx.Tx, events []Event[any]) error {
		batches.Add(1)
		for _, e := range events {
			if err := handler.apply(ctx, tx, e.Envelope, e.Data); err != nil {
				return err
			}
		}
		return nil
	}
	env.ticks("a-1", 50)
	last := env.ticks("b-1", 50)
	// when it runs,
	r := env.runner(nil, p)
	start(t, r)
	waitFor(t, r, last, counts.name)
	// then the events it had ready went through Batch, not one handler call each,
	if batches.Load() == 0 || perEvent.Load() > 1 {
		t.Fatalf("%d batches and %d single applies for a backlog of 100 events", batches.Load(), perEvent.Load())
	}
	counts.expectRows(t, env, map[string]int{"a-1": 50, "b-1": 50})
}
