package projections

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// Checkpoint is the persisted position of one projection: every event up to and including Position is
// reflected in its read model.
type Checkpoint struct {
	Projection string
	Position   eventstore.Position
	UpdatedAt  time.Time
}

// checkpointRow scans projection_checkpoints (migration 00001). Positions are numeric(20,0), read as text
// so the whole uint64 range survives.
type checkpointRow struct {
	Projection string    `db:"projection"`
	Commit     string    `db:"commit_pos"`
	Prepare    string    `db:"prepare_pos"`
	UpdatedAt  time.Time `db:"updated_at"`
}

func (r checkpointRow) checkpoint() (Checkpoint, error) {
	commit, err := strconv.ParseUint(r.Commit, 10, 64)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("projections: checkpoint of %q: %w", r.Projection, err)
	}
	prepare, err := strconv.ParseUint(r.Prepare, 10, 64)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("projections: checkpoint of %q: %w", r.Projection, err)
	}
	return Checkpoint{r.Projection, eventstore.Position{Commit: commit, Prepare: prepare}, r.UpdatedAt}, nil
}

const selectCheckpoints = `SELECT projection, commit_pos::text AS commit_pos, prepare_pos::text AS prepare_pos, updated_at
	FROM projection_checkpoints`

// ReadCheckpoints returns every persisted checkpoint, ordered by projection name. It needs only the read-model
// database, so tools in another process than the runner (the CLI) can use it.
func ReadCheckpoints(ctx context.Context, db sqlx.QueryerContext) ([]Checkpoint, error) {
	var rows []checkpointRow
	if err := sqlx.SelectContext(ctx, db, &rows, selectCheckpoints+` ORDER BY projection`); err != nil {
		return nil, fmt.Errorf("projections: read checkpoints: %w", err)
	}
	checkpoints := make([]Checkpoint, 0, len(rows))
	for _, row := range rows {
		c, err := row.checkpoint()
		if err != nil {
			return nil, err
		}
		checkpoints = append(checkpoints, c)
	}
	return checkpoints, nil
}

// readCheckpoint returns a projection's checkpoint and whether it has one. Inside a transaction, lock makes
// it hold the row until commit, so concurrent runners of one projection take turns per event.
func readCheckpoint(ctx context.Context, db sqlx.QueryerContext, projection string, lock bool) (eventstore.Position, bool, error) {
	query := selectCheckpoints + ` WHERE projection = $1`
	if lock {
		query += ` FOR UPDATE`
	}
	var row checkpointRow
	err := sqlx.GetContext(ctx, db, &row, query, projection)
	if errors.Is(err, sql.ErrNoRows) {
		return eventstore.Position{}, false, nil
	}
	if err != nil {
		return eventstore.Position{}, false, fmt.Errorf("projections: read checkpoint of %q: %w", projection, err)
	}
	c, err := row.checkpoint()
	return c.Position, err == nil, err
}

// startFrom is where a projection's subscription starts: after its checkpoint, or at the very start of the
// log for a new projection (esdb subscriptions default to the end: trap 3 of the architecture guide).
func startFrom(ctx context.Context, db sqlx.QueryerContext, projection string) (eventstore.AllFrom, *eventstore.Position, error) {
	pos, ok, err := readCheckpoint(ctx, db, projection, false)
	if err != nil || !ok {
		return eventstore.AllStart(), nil, err
	}
	return eventstore.AllAfter(pos), &pos, nil
}

// inCheckpointTx runs apply and advances the checkpoint of projection to pos in one transaction; apply gets
// the checkpoint it starts from (nil for none), so a batch applies only its events after it. When the
// checkpoint already is at or after pos (a redelivery, or another process running the same projection got
// there first) nothing is applied and it returns false: this makes every projection idempotent per event.
func inCheckpointTx(ctx context.Context, db *sqlx.DB, projection string, pos eventstore.Position,
	apply func(tx *sqlx.Tx, after *eventstore.Position) error) (applied bool, err error) {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("projections: %s: begin: %w", projection, err)
	}
	defer func() {
		if !applied {
			_ = tx.Rollback()
		}
	}()
	current, ok, err := readCheckpoint(ctx, tx, projection, true)
	if err != nil || (ok && current.Compare(pos) >= 0) {
		return false, err
	}
	var after *eventstore.Position
	if ok {
		after = &current
	}
	if err := apply(tx, after); err != nil {
		return false, err
	}
	advanced, err := advanceCheckpoint(ctx, tx, projection, pos)
	if err != nil || !advanced {
		return false, err
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("projections: %s: commit at %s: %w", projection, pos, err)
	}
	return true, nil
}

// advanceCheckpoint moves the checkpoint forward to pos and reports whether it did; it never moves it back.
// A first checkpoint inserted concurrently by another process makes it report false after that commits.
func advanceCheckpoint(ctx context.Context, tx *sqlx.Tx, projection string, pos eventstore.Position) (bool, error) {
	res, err := tx.ExecContext(ctx, `
		INSERT INTO projection_checkpoints AS c (projection, commit_pos, prepare_pos, updated_at)
		VALUES ($1, $2::numeric, $3::numeric, now())
		ON CONFLICT (projection) DO UPDATE
		SET commit_pos = EXCLUDED.commit_pos, prepare_pos = EXCLUDED.prepare_pos, updated_at = EXCLUDED.updated_at
		WHERE (c.commit_pos, c.prepare_pos) < (EXCLUDED.commit_pos, EXCLUDED.prepare_pos)`,
		projection, strconv.FormatUint(pos.Commit, 10), strconv.FormatUint(pos.Prepare, 10))
	if err != nil {
		return false, fmt.Errorf("projections: %s: advance checkpoint to %s: %w", projection, pos, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
