package projections

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// Stop is why a projection stopped: the event it gave up on after every retry, and a reason safe to show
// (see failureReason). It is persisted (projection_stops, migration 00009) so operator tools in another
// process see it, and it is cleared in the transaction that finally applies that event, after a fix (an
// upcaster that repairs the event, or a corrected apply func) and a restart.
type Stop struct {
	Projection string
	Event      EventRef
	Reason     string
	At         time.Time
}

func newStop(projection string, event EventRef, err error) Stop {
	return Stop{Projection: projection, Event: event, Reason: failureReason(err), At: time.Now().UTC()}
}

func (s Stop) String() string {
	return fmt.Sprintf("%s stopped on %s: %s", s.Projection, s.Event, s.Reason)
}

// saveStop records s, replacing whatever earlier stop the projection had.
func saveStop(ctx context.Context, db sqlx.ExecerContext, s Stop) error {
	_, err := db.ExecContext(ctx, `
		INSERT INTO projection_stops (projection, commit_pos, prepare_pos, stream_id, revision, event_id, event_type, reason, stopped_at)
		VALUES ($1, $2::numeric, $3::numeric, $4, $5::numeric, $6, $7, $8, $9)
		ON CONFLICT (projection) DO UPDATE SET commit_pos = EXCLUDED.commit_pos, prepare_pos = EXCLUDED.prepare_pos,
			stream_id = EXCLUDED.stream_id, revision = EXCLUDED.revision, event_id = EXCLUDED.event_id,
			event_type = EXCLUDED.event_type, reason = EXCLUDED.reason, stopped_at = EXCLUDED.stopped_at`,
		s.Projection, strconv.FormatUint(s.Event.Position.Commit, 10), strconv.FormatUint(s.Event.Position.Prepare, 10),
		printable(s.Event.Stream), strconv.FormatUint(s.Event.Revision, 10), s.Event.ID, printable(s.Event.Type),
		s.Reason, s.At)
	if err != nil {
		return fmt.Errorf("projections: %s: record the stop: %w", s.Projection, err)
	}
	return nil
}

// clearStop deletes the projection's stop when it is at or before pos: the checkpoint is moving past the
// event that stopped it. Called inside the checkpoint's transaction, so the two change together.
func clearStop(ctx context.Context, db sqlx.ExecerContext, projection string, pos eventstore.Position) error {
	_, err := db.ExecContext(ctx, `DELETE FROM projection_stops
		WHERE projection = $1 AND (commit_pos, prepare_pos) <= ($2::numeric, $3::numeric)`,
		projection, strconv.FormatUint(pos.Commit, 10), strconv.FormatUint(pos.Prepare, 10))
	if err != nil {
		return fmt.Errorf("projections: %s: clear the stop up to %s: %w", projection, pos, err)
	}
	return nil
}

// stopRow scans projection_stops; numbers are read as text so the whole uint64 range survives.
type stopRow struct {
	Projection string    `db:"projection"`
	Commit     string    `db:"commit_pos"`
	Prepare    string    `db:"prepare_pos"`
	Stream     string    `db:"stream_id"`
	Revision   string    `db:"revision"`
	EventID    uuid.UUID `db:"event_id"`
	EventType  string    `db:"event_type"`
	Reason     string    `db:"reason"`
	StoppedAt  time.Time `db:"stopped_at"`
}

func (r stopRow) stop() (Stop, error) {
	s := Stop{Projection: r.Projection, Reason: r.Reason, At: r.StoppedAt,
		Event: EventRef{ID: r.EventID, Type: r.EventType, Stream: r.Stream}}
	for _, n := range []struct {
		text string
		into *uint64
	}{{r.Commit, &s.Event.Position.Commit}, {r.Prepare, &s.Event.Position.Prepare}, {r.Revision, &s.Event.Revision}} {
		v, err := strconv.ParseUint(n.text, 10, 64)
		if err != nil {
			return Stop{}, fmt.Errorf("projections: stop of %q: %w", r.Projection, err)
		}
		*n.into = v
	}
	return s, nil
}

const selectStops = `SELECT projection, commit_pos::text AS commit_pos, prepare_pos::text AS prepare_pos, stream_id,
	revision::text AS revision, event_id, event_type, reason, stopped_at FROM projection_stops`

// readStops returns the persisted stops by projection name, stale ones included (see current).
func readStops(ctx context.Context, db sqlx.QueryerContext) (map[string]Stop, error) {
	var rows []stopRow
	if err := sqlx.SelectContext(ctx, db, &rows, selectStops); err != nil {
		return nil, fmt.Errorf("projections: read stops: %w", err)
	}
	stops := make(map[string]Stop, len(rows))
	for _, row := range rows {
		s, err := row.stop()
		if err != nil {
			return nil, err
		}
		stops[s.Projection] = s
	}
	return stops, nil
}

// current reports whether the stop still holds given the projection's checkpoint (nil: none): a checkpoint
// at or past the stopping event means another process, or a rebuild, has moved past it.
func (s Stop) current(checkpoint *eventstore.Position) bool {
	return !reached(checkpoint, s.Event.Position)
}

// loadStop looks for a stop an earlier run of the projection recorded: a current one is cleared by the
// transaction that moves the checkpoint past its event (see handle), a stale one at once.
func (p *projectionRun) loadStop(ctx context.Context, checkpoint *eventstore.Position) error {
	var row stopRow
	err := sqlx.GetContext(ctx, p.db, &row, selectStops+` WHERE projection = $1`, p.name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("projections: read the stop of %s: %w", p.name, err)
	}
	s, err := row.stop()
	if err != nil {
		return err
	}
	if !s.current(checkpoint) {
		return clearStop(ctx, p.db, p.name, *checkpoint)
	}
	p.pendingStop.Store(&s.Event.Position)
	return nil
}
