package postgres

import (
	"context"
	"fmt"
	"math"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

const (
	readForwardsQuery = `SELECT ` + eventColumns + ` FROM events
WHERE stream_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3`
	readBackwardsQuery = `SELECT ` + eventColumns + ` FROM events
WHERE stream_id = $1 AND revision <= $2 ORDER BY revision DESC LIMIT $3`
	streamExistsQuery = `SELECT EXISTS (SELECT 1 FROM events WHERE stream_id = $1)`

	// fence is the visibility fence of every $all read: only rows of transactions older than every
	// transaction still running. Any transaction that can still commit has an id at or above it, so no event
	// can later appear before a position read under the fence.
	//
	// Warning: ordering by seq alone (with or without this fence) is not enough — a transaction can take a
	// lower xid and a higher seq than another — and dropping the fence lets a reader skip late commits.
	fence = `tx_id < pg_snapshot_xmin(pg_current_snapshot())`

	readAllQuery = `SELECT ` + eventColumns + ` FROM events
WHERE (tx_id, seq) > ($1::xid8, $2::bigint) AND ` + fence + ` AND stream_id NOT LIKE '$%'
ORDER BY tx_id, seq LIMIT $3`
)

// ReadStream implements eventstore.Store. Forwards from StreamEnd returns nothing: there is nothing after
// the last event. It reads the latest committed state, without the $all fence, so a command sees every
// event committed before it started.
func (s *Store) ReadStream(ctx context.Context, stream string, direction eventstore.Direction, from eventstore.StreamFrom, limit int) ([]eventstore.RecordedEvent, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("eventstore/postgres: read %s: limit %d must be positive", stream, limit)
	}
	revision, end := from.Revision()
	start := int64(min(revision, math.MaxInt64))
	query := readForwardsQuery
	switch {
	case direction == eventstore.Backwards && end:
		query, start = readBackwardsQuery, math.MaxInt64
	case direction == eventstore.Backwards:
		query = readBackwardsQuery
	case end:
		return s.emptyRead(ctx, stream)
	}
	events, err := s.queryEvents(ctx, query, stream, start, limit)
	if err != nil {
		return nil, fmt.Errorf("eventstore/postgres: read %s: %w", stream, err)
	}
	if len(events) == 0 {
		return s.emptyRead(ctx, stream)
	}
	return events, nil
}

// emptyRead answers a read that found no events: an empty result for an existing stream,
// ErrStreamNotFound for a stream with no events at all.
func (s *Store) emptyRead(ctx context.Context, stream string) ([]eventstore.RecordedEvent, error) {
	stmt, err := s.stmts.get(ctx, streamExistsQuery)
	if err != nil {
		return nil, fmt.Errorf("eventstore/postgres: read %s: %w", stream, err)
	}
	var exists bool
	if err := stmt.QueryRowContext(ctx, stream).Scan(&exists); err != nil {
		return nil, fmt.Errorf("eventstore/postgres: read %s: %w", stream, err)
	}
	if !exists {
		return nil, eventstore.ErrStreamNotFound
	}
	return []eventstore.RecordedEvent{}, nil
}

// ReadAll implements eventstore.Store. It returns only events under the visibility fence (see fence): an
// event whose transaction committed after an older transaction that is still open is returned once that
// older transaction ends.
func (s *Store) ReadAll(ctx context.Context, from eventstore.AllFrom, limit int) ([]eventstore.RecordedEvent, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("eventstore/postgres: read $all: limit %d must be positive", limit)
	}
	if from.IsEnd() {
		return []eventstore.RecordedEvent{}, nil
	}
	after, _ := from.Position()
	txID, seq := positionArgs(after)
	events, err := s.queryEvents(ctx, readAllQuery, txID, seq, limit)
	if err != nil {
		return nil, fmt.Errorf("eventstore/postgres: read $all: %w", err)
	}
	return events, nil
}

// queryEvents runs one of the prepared event queries.
func (s *Store) queryEvents(ctx context.Context, query string, args ...any) ([]eventstore.RecordedEvent, error) {
	stmt, err := s.stmts.get(ctx, query)
	if err != nil {
		return nil, err
	}
	return collectEvents(stmt.QueryContext(ctx, args...))
}
