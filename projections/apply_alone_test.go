package projections

import (
	"context"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// aloneRows is the read model of these tests: a row per stream holding the N of its last tick (never
// negative), written by one statement.
var aloneRows = OnStatement(func(e Event[ticked]) (Statement, error) {
	return Statement{Query: `INSERT INTO alone_rows (stream, n) VALUES ($1, $2)
		ON CONFLICT (stream) DO UPDATE SET n = excluded.n`, Args: []any{e.Stream, e.Data.N}, Failing: "write a row"}, nil
})

// aloneStep is a tick of stream at commit position pos, carrying n, for handler h.
func aloneStep(stream string, pos uint64, n int, h Handler) step {
	ev := &eventstore.RecordedEvent{StreamID: stream, Position: eventstore.Position{Commit: pos, Prepare: pos}, Type: "test.ticked"}
	return step{ev: ev, event: &Event[any]{Envelope: Envelope{Stream: stream, Position: ev.Position}, Data: ticked{N: n}}, handler: h}
}

func newAloneEnv(t *testing.T) *testEnv {
	env := newEnv(t, postgresBackend)
	env.exec(`CREATE TABLE alone_rows (stream text PRIMARY KEY, n int NOT NULL CHECK (n >= 0))`)
	return env
}

// aloneState is the checkpoint of projection alone.v1 (0 when none) and the n of stream "s" (-1 when none).
func aloneState(t *testing.T, env *testEnv) (checkpoint uint64, n int) {
	t.Helper()
	if pos := env.checkpointOf("alone.v1"); pos != nil {
		checkpoint = pos.Commit
	}
	n = -1
	if err := env.db.GetContext(testContext(t), &n, `SELECT coalesce((SELECT n FROM alone_rows WHERE stream = 's'), -1)`); err != nil {
		t.Fatal(err)
	}
	return checkpoint, n
}

func TestALoneStatementEventMovesItsRowAndCheckpointInOneStatementOrNothing(t *testing.T) {
	t.Parallel()
	ignoredStep := aloneStep("other", 4, 0, Handler{})
	ignoredStep.ignored = ignoredUnhandled
	onHandler := On(func(ctx context.Context, tx *sqlx.Tx, e Event[ticked]) error { return nil })
	for _, tc := range []struct {
		name           string
		checkpoint     uint64 // 0: no checkpoint row
		durable        bool
		steps          []step
		want           bool
		wantCheckpoint uint64
		wantN          int
	}{
		{name: "checkpoint before the event", checkpoint: 2, steps: []step{aloneStep("s", 5, 7, aloneRows)},
			want: true, wantCheckpoint: 5, wantN: 7},
		{name: "an ignored event before it", checkpoint: 2, steps: []step{ignoredStep, aloneStep("s", 5, 7, aloneRows)},
			want: true, wantCheckpoint: 5, wantN: 7},
		{name: "no checkpoint yet", steps: []step{aloneStep("s", 5, 7, aloneRows)}, wantN: -1},
		{name: "a redelivery", checkpoint: 5, steps: []step{aloneStep("s", 5, 7, aloneRows)}, wantCheckpoint: 5, wantN: -1},
		{name: "a durable projection", checkpoint: 2, durable: true, steps: []step{aloneStep("s", 5, 7, aloneRows)},
			wantCheckpoint: 2, wantN: -1},
		{name: "a handler built with On", checkpoint: 2, steps: []step{aloneStep("s", 5, 7, onHandler)},
			wantCheckpoint: 2, wantN: -1},
		{name: "two handled events", checkpoint: 2, steps: []step{aloneStep("s", 5, 7, aloneRows), aloneStep("s", 6, 8, aloneRows)},
			wantCheckpoint: 2, wantN: -1},
		{name: "a statement that fails", checkpoint: 2, steps: []step{aloneStep("s", 5, -1, aloneRows)},
			wantCheckpoint: 2, wantN: -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Given a projection whose checkpoint is where the case puts it,
			env := newAloneEnv(t)
			if tc.checkpoint > 0 {
				env.exec(`INSERT INTO projection_checkpoints (projection, commit_pos, prepare_pos) VALUES ('alone.v1', $1, $1)`, tc.checkpoint)
			}
			p := &projectionRun{name: "alone.v1", durable: tc.durable, db: env.db}
			// when it applies the batch alone,
			got := p.applyAlone(testContext(t), tc.steps)
			// then it did so only where it is sure, and the row and the checkpoint moved together or not at all.
			checkpoint, n := aloneState(t, env)
			if got != tc.want || checkpoint != tc.wantCheckpoint || n != tc.wantN {
				t.Errorf("applied %v, checkpoint %d, n %d; want %v, %d, %d", got, checkpoint, n, tc.want, tc.wantCheckpoint, tc.wantN)
			}
		})
	}
}

func TestALoneStatementEventGivesWayAtOnceToWhoeverHoldsTheCheckpoint(t *testing.T) {
	t.Parallel()
	// Given a projection whose handler updates a row, and a rival holding the checkpoint row in a transaction
	// that creates that row and moves the checkpoint (still before the event), and that will then lock the
	// read model's table as a rebuild's swap does,
	env := newAloneEnv(t)
	ctx := testContext(t)
	env.exec(`INSERT INTO projection_checkpoints (projection, commit_pos, prepare_pos) VALUES ('alone.v1', 1, 1)`)
	update := OnStatement(func(e Event[ticked]) (Statement, error) {
		return Statement{Query: `UPDATE alone_rows SET n = $2 WHERE stream = $1`, Args: []any{e.Stream, e.Data.N}}, nil
	})
	rival, err := env.db.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rival.Rollback() }()
	for _, q := range []string{`UPDATE projection_checkpoints SET commit_pos = 2, prepare_pos = 2 WHERE projection = 'alone.v1'`,
		`INSERT INTO alone_rows (stream, n) VALUES ('s', 0)`} {
		if _, err := rival.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	// when the event is applied alone while the rival holds the checkpoint row,
	p := &projectionRun{name: "alone.v1", db: env.db}
	done := make(chan bool, 1)
	go func() { done <- p.applyAlone(ctx, []step{aloneStep("s", 5, 7, update)}) }()
	// then it gives way at once, without waiting for the row while it holds the read model's table, so the
	// rival's LOCK TABLE gets through,
	select {
	case applied := <-done:
		if applied {
			t.Fatal("applied alone while a rival held the checkpoint row")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the statement waited for the checkpoint row, holding the read model's table")
	}
	for _, q := range []string{`SET LOCAL lock_timeout = '200ms'`, `LOCK TABLE alone_rows IN ACCESS EXCLUSIVE MODE`} {
		if _, err := rival.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := rival.Commit(); err != nil {
		t.Fatal(err)
	}
	// having changed nothing: the caller's transaction applies the event on what the rival committed.
	if checkpoint, n := aloneState(t, env); checkpoint != 2 || n != 0 {
		t.Errorf("checkpoint %d, n %d; want 2, 0", checkpoint, n)
	}
}
