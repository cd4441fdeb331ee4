package projections

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestProjectionsThatIgnoreTheEventsLeaveTheirCheckpointsToTheFlush(t *testing.T) {
	t.Parallel()
	env := newEnv(t, postgresBackend)
	env.liveBatch = 1
	// Given three projections that handle no event of the log, counting the transactions they commit
	var bystanders []Projection
	for i := range 3 {
		bystanders = append(bystanders, Projection{Name: fmt.Sprintf("bystander_%d.v1", i)})
	}
	// and a log of ten events of other aggregates, read before the first flush
	var last eventstore.Position
	for range 10 {
		last = env.appendEvents("other-1", "test.unknown")
	}
	r := env.runner(nil, bystanders...)
	var commits atomic.Int32
	for _, run := range r.runs {
		run.afterCommit = func(context.Context, eventstore.Position) error {
			commits.Add(1)
			return nil
		}
	}
	start(t, r)
	// When they have read them, the flush writes their checkpoints
	requirePersisted(t, env, bystanders, last)
	// and when more events come, one at a time, for longer than two flush intervals
	for began := time.Now(); time.Since(began) < 2*checkpointInterval+checkpointInterval/2; {
		last = env.appendEvents("other-1", "test.unknown")
		time.Sleep(50 * time.Millisecond)
	}
	// then the table follows them without a transaction of any projection's own.
	requirePersisted(t, env, bystanders, last)
	if n := commits.Load(); n != 0 {
		t.Errorf("the projections committed %d transactions of their own, want none", n)
	}
}

// requirePersisted waits until the table holds every projection's checkpoint at pos.
func requirePersisted(t *testing.T, env *testEnv, ps []Projection, pos eventstore.Position) {
	t.Helper()
	eventually(t, "every checkpoint reaches "+pos.String(), func() bool {
		for _, p := range ps {
			if at := env.checkpointOf(p.Name); at == nil || at.Compare(pos) != 0 {
				return false
			}
		}
		return true
	})
}
