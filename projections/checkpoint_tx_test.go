package projections

import (
	"context"
	"errors"
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

func TestABatchTransactionAppliesOnlyTheEventsAfterTheCheckpoint(t *testing.T) {
	t.Parallel()
	first, last := eventstore.Position{Commit: 20, Prepare: 5}, eventstore.Position{Commit: 30, Prepare: 9}
	before, inside, after := eventstore.Position{Commit: 10, Prepare: 7}, eventstore.Position{Commit: 25, Prepare: 1}, eventstore.Position{Commit: 31, Prepare: 1}
	for _, tc := range []struct {
		name       string
		checkpoint *eventstore.Position // nil: no row yet
		wantAfter  *eventstore.Position // what apply is given; nil: every event is fresh
		wantApply  bool
		wantAt     eventstore.Position
	}{
		{"a new projection", nil, nil, true, last},
		{"the checkpoint before the batch", &before, nil, true, last},
		{"at the batch's first event", &first, &first, true, last},
		{"another process got into the batch", &inside, &inside, true, last},
		{"at the batch's last event", &last, nil, false, last},
		{"another process got past the batch", &after, nil, false, after},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := newEnv(t, postgresBackend)
			// Given a projection's checkpoint where the case puts it,
			if tc.checkpoint != nil {
				setCheckpoint(env, "moves.v1", *tc.checkpoint)
			}
			// when a batch from first to last is applied,
			called := false
			var gotAfter *eventstore.Position
			applied, err := inCheckpointTx(testContext(t), env.db, "moves.v1", false, first, last, func(_ *sqlx.Tx, after *eventstore.Position) error {
				called, gotAfter = true, after
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			// then the events after the checkpoint are applied, and the checkpoint moves to the last one.
			if applied != tc.wantApply || called != tc.wantApply {
				t.Fatalf("applied %v, apply called %v; want %v", applied, called, tc.wantApply)
			}
			if (gotAfter == nil) != (tc.wantAfter == nil) || (gotAfter != nil && *gotAfter != *tc.wantAfter) {
				t.Fatalf("apply started after %v, want %v", gotAfter, tc.wantAfter)
			}
			if err := samePosition(env.checkpointOf("moves.v1"), tc.wantAt); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestTwoRunnersApplyingOneBatchAtOnceApplyItOnce(t *testing.T) {
	t.Parallel()
	env := newEnv(t, postgresBackend)
	env.exec(`CREATE TABLE batch_applies (n int)`)
	first, last := eventstore.Position{Commit: 20, Prepare: 5}, eventstore.Position{Commit: 30, Prepare: 9}
	setCheckpoint(env, "moves.v1", eventstore.Position{Commit: 10, Prepare: 7})
	// Given two runners (processes) of one projection that read the same batch,
	var (
		wg      sync.WaitGroup
		entered atomic.Int32
		results [2]bool
		errs    [2]error
	)
	apply := func(tx *sqlx.Tx, _ *eventstore.Position) error {
		if _, err := tx.ExecContext(testContext(t), `INSERT INTO batch_applies VALUES (1)`); err != nil {
			return err
		}
		if entered.Add(1) == 1 { // the first holds its transaction open until the other waits for the row
			return untilALockIsAwaited(env)
		}
		return nil
	}
	// when both apply it at the same time,
	for i := range results {
		wg.Go(func() {
			results[i], errs[i] = inCheckpointTx(testContext(t), env.db, "moves.v1", false, first, last, apply)
		})
	}
	wg.Wait()
	// then exactly one of them applied it, and the checkpoint is at its last event.
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("errors %v, %v", errs[0], errs[1])
	}
	var rows int
	if err := env.db.GetContext(testContext(t), &rows, `SELECT count(*) FROM batch_applies`); err != nil {
		t.Fatal(err)
	}
	if rows != 1 || results[0] == results[1] {
		t.Fatalf("%d applies committed, results %v; want exactly one", rows, results)
	}
	if err := samePosition(env.checkpointOf("moves.v1"), last); err != nil {
		t.Fatal(err)
	}
}

// setCheckpoint writes a projection's checkpoint row as another process would have left it.
func setCheckpoint(env *testEnv, projection string, pos eventstore.Position) {
	env.exec(`INSERT INTO projection_checkpoints (projection, commit_pos, prepare_pos, updated_at)
		VALUES ($1, $2, $3, now())`, projection, pos.Commit, pos.Prepare)
}

// untilALockIsAwaited returns once a session of env's database waits for a lock, or an error after 20 s. It
// runs off the test's goroutine, so it reports instead of failing the test.
func untilALockIsAwaited(env *testEnv) error {
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		var waiting int
		if err := env.db.GetContext(testContext(env.t), &waiting, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`); err != nil || waiting > 0 {
			return err
		}
	}
	return errors.New("no session came to wait for the checkpoint row")
}
