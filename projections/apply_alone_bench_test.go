package projections

import (
	"context"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/migrations"
	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
)

// BenchmarkApplyALoneEvent compares the two ways a running projection applies a lone event whose handler
// is one statement: the checkpoint's transaction (BEGIN, checkpoint, row, COMMIT) and applyAlone (one
// statement). Each operation is one event, one position further.
//
//	go test -run X -bench ApplyALoneEvent -count 3 ./projections/
func BenchmarkApplyALoneEvent(b *testing.B) {
	ctx := context.Background()
	db, err := pg.Open(ctx, pgtest.NewDatabase(b))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := migrations.Apply(ctx, db.DB); err != nil {
		b.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE alone_rows (stream text PRIMARY KEY, n int NOT NULL CHECK (n >= 0));
		INSERT INTO projection_checkpoints (projection, commit_pos, prepare_pos) VALUES ('alone.v1', 0, 0)`); err != nil {
		b.Fatal(err)
	}
	p := &projectionRun{name: "alone.v1", db: db}
	var pos uint64
	next := func() step {
		pos++
		return aloneStep("s", pos, int(pos%1000), aloneRows)
	}
	b.Run("transaction", func(b *testing.B) {
		for b.Loop() {
			s := next()
			if _, err := inCheckpointTx(ctx, db, p.name, false, s.ev.Position, s.ev.Position, func(tx *sqlx.Tx, _ *eventstore.Position) error {
				return p.applyStep(ctx, tx, s)
			}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("one statement", func(b *testing.B) {
		for b.Loop() {
			if !p.applyAlone(ctx, []step{next()}) {
				b.Fatal("not applied alone")
			}
		}
	})
}
