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
	return scanCheckpoint(ctx, db, query, projection)
}

// scanCheckpoint runs a query of one checkpoint row.
func scanCheckpoint(ctx context.Context, db sqlx.QueryerContext, query, projection string) (eventstore.Position, bool, error) {
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
// log for a new projection (the esdb client's subscriptions default to the end: docs/architecture.md,
// invariants).
func startFrom(ctx context.Context, db sqlx.QueryerContext, projection string) (eventstore.AllFrom, *eventstore.Position, error) {
	pos, ok, err := readCheckpoint(ctx, db, projection, false)
	if err != nil || !ok {
		return eventstore.AllStart(), nil, err
	}
	return eventstore.AllAfter(pos), &pos, nil
}
