package projections

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestOnlyADurableProjectionWaitsForTheDiskAtCommit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		durable bool
		want    string
	}{{false, "off"}, {true, "on"}} {
		env := newEnv(t, postgresBackend)
		// Given a projection that notes the commit setting of the transactions applying its events,
		var mu sync.Mutex
		var settings []string
		p := Projection{Name: "settings.v1", Durable: tc.durable, Handlers: []Handler{
			On(func(ctx context.Context, tx *sqlx.Tx, _ Event[ticked]) error {
				var setting string
				err := tx.GetContext(ctx, &setting, `SELECT current_setting('synchronous_commit')`)
				mu.Lock()
				settings = append(settings, setting)
				mu.Unlock()
				return err
			}),
		}}
		env.liveBatch = 1
		// when it applies three events,
		last := env.ticks("a-1", 3)
		r := env.runner(nil, p)
		start(t, r)
		waitFor(t, r, last, p.Name)
		// then every commit after the first (which creates the checkpoint row) has the setting wanted.
		mu.Lock()
		if len(settings) != 3 || settings[1] != tc.want || settings[2] != tc.want {
			t.Errorf("durable %v: synchronous_commit per event = %v, want %s after the first", tc.durable, settings, tc.want)
		}
		mu.Unlock()
	}
}

func TestEventsAProjectionDoesNotHandleMoveItsCheckpointInMemoryBetweenWrites(t *testing.T) {
	t.Parallel()
	env := newEnv(t, postgresBackend)
	env.liveBatch = 1
	counts := &counting{name: "counts.v1", table: "stream_counts"}
	counts.create(env)
	r := env.runner(nil, counts.projection())
	var commits atomic.Int32
	r.byName[counts.name].afterCommit = func(context.Context, eventstore.Position) error {
		commits.Add(1)
		return nil
	}
	start(t, r)
	// Given a projection that just applied an event of its own,
	handled := env.ticks("a-1", 1)
	waitFor(t, r, handled, counts.name)
	// when twenty events of other aggregates follow, one at a time,
	var other eventstore.Position
	began := time.Now()
	for range 20 {
		other = env.appendEvents("other-1", "test.unknown")
		waitFor(t, r, other, counts.name) // answered from memory
	}
	// then it reached each of them without a transaction per event: the handled one, and at most one
	// checkpoint write per interval that passed (a loaded machine may take seconds over the twenty),
	allowed := 3 + int32(time.Since(began)/checkpointInterval)
	if n := commits.Load(); n > allowed {
		t.Fatalf("%d commits for one handled event and 20 others, want at most %d", n, allowed)
	}
	// and with nothing more to read, the table catches up with memory within a flush interval,
	eventually(t, "the persisted checkpoint reaches the last event read", func() bool {
		pos := env.checkpointOf(counts.name)
		return pos != nil && pos.Compare(other) == 0
	})
	// and an event it handles is written at once, with the checkpoint past everything before it.
	next := env.ticks("a-1", 1)
	waitFor(t, r, next, counts.name)
	if err := samePosition(env.checkpointOf(counts.name), next); err != nil {
		t.Fatal(err)
	}
	counts.expectRows(t, env, map[string]int{"a-1": 2})
}
