package postgres

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

const (
	readForwardsQuery = `SELECT ` + eventOutput + ` FROM events
WHERE stream_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3`
	readBackwardsQuery = `SELECT ` + eventOutput + ` FROM events
WHERE stream_id = $1 AND revision <= $2 ORDER BY revision DESC LIMIT $3`
	streamExistsQuery = `SELECT EXISTS (SELECT 1 FROM events WHERE stream_id = $1)`

	// readAllQuery reads $all below the fence $4 (see appendFenceQuery), which must come from an earlier
	// statement.
	//
	// Warning: ordering by seq alone (with or without the fence) is not enough — a transaction can take a
	// lower xid and a higher seq than another — and dropping the fence lets a reader skip late commits.
	readAllQuery = `SELECT ` + eventOutput + readAllTail
)

// readAllTail is the part of a $all read after its select list, shared by readAllQuery and
// readAllBinaryQuery: the fence, the position and the order must be the same for both.
const readAllTail = ` FROM events
WHERE (tx_id, seq) > ($1::xid8, $2::bigint) AND tx_id < $4::xid8 AND stream_id NOT LIKE '$%'
ORDER BY tx_id, seq LIMIT $3`

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
	}
	var (
		events []eventstore.RecordedEvent
		err    error
	)
	if direction == eventstore.Forwards && end {
		err = s.requireStream(ctx, stream) // nothing follows the last event
	} else if events, err = s.queryEvents(ctx, 0, query, stream, start, limit); err == nil && len(events) == 0 {
		// A range that covers every revision (forwards from the first, backwards from the end) found no
		// event in one snapshot: the stream had none, and asking again would only cost a round trip (a
		// command creating a stream reads it first, so this is one statement per new aggregate).
		// Otherwise the stream may have been created between the read and the check: once it exists, read
		// again, so an empty answer always means an empty range of an existing stream.
		if wholeStream(direction, start) {
			err = eventstore.ErrStreamNotFound
		} else if err = s.requireStream(ctx, stream); err == nil {
			events, err = s.queryEvents(ctx, 0, query, stream, start, limit)
		}
	}
	if errors.Is(err, eventstore.ErrStreamNotFound) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("eventstore/postgres: read %s: %w", stream, err)
	}
	if events == nil {
		events = []eventstore.RecordedEvent{}
	}
	return events, nil
}

// wholeStream reports whether a read starting at start in direction covers every revision a stream can hold.
func wholeStream(direction eventstore.Direction, start int64) bool {
	if direction == eventstore.Backwards {
		return start == math.MaxInt64
	}
	return start == 0
}

// requireStream returns ErrStreamNotFound unless the stream has at least one event.
func (s *Store) requireStream(ctx context.Context, stream string) error {
	stmt, err := s.stmts.get(ctx, streamExistsQuery)
	if err != nil {
		return err
	}
	var exists bool
	if err := stmt.QueryRowContext(ctx, stream).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		return eventstore.ErrStreamNotFound
	}
	return nil
}

// ReadAll implements eventstore.Store. It returns only events below the visibility fence (see
// appendFenceQuery), and when it has fewer than limit to return it first waits for the fence to pass every
// event committed before the read: a caller sees its own committed appends.
//
// Warning: that wait lasts as long as the oldest append still in flight that started before the newest
// committed event; appends are single statements, so that is milliseconds. Other open transactions (in this
// database or another) do not hold it back.
func (s *Store) ReadAll(ctx context.Context, from eventstore.AllFrom, limit int) ([]eventstore.RecordedEvent, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("eventstore/postgres: read $all: limit %d must be positive", limit)
	}
	if from.IsEnd() {
		return []eventstore.RecordedEvent{}, nil
	}
	after, _ := from.Position()
	events, err := s.readAllBelowFence(ctx, after, limit)
	if err == nil && len(events) < limit {
		var held bool
		if held, err = s.heldBehindFence(ctx, lastPosition(after, events)); held {
			events, err = s.readAllBelowFence(ctx, after, limit)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("eventstore/postgres: read $all: %w", err)
	}
	return events, nil
}

// readAllBelowFence reads up to limit events after the given position and below the current fence: two
// statements, the fence first (see appendFenceQuery for why they must not be one). A Store opened from a URL
// reads the events through its binary connections (read_all_binary.go), one built with New through db.
func (s *Store) readAllBelowFence(ctx context.Context, after eventstore.Position, limit int) ([]eventstore.RecordedEvent, error) {
	fence, err := s.appendFence(ctx)
	if err != nil {
		return nil, err
	}
	if s.binary != nil {
		return s.readAllBinary(ctx, after, limit, fence)
	}
	txID, seq := positionArgs(after)
	return s.queryEvents(ctx, limit, readAllQuery, txID, seq, limit, fence)
}

// heldBehindFence waits until the fence has passed every event committed so far, when some of them lie
// after the position a read reached. It reports whether it waited: the read must then be run again.
func (s *Store) heldBehindFence(ctx context.Context, reached eventstore.Position) (bool, error) {
	head, err := s.committedHead(ctx)
	if err != nil || head.Compare(reached) <= 0 {
		return false, err
	}
	return true, s.waitForFence(ctx, head)
}

// lastPosition returns the position of the last event read, or after when none was.
func lastPosition(after eventstore.Position, events []eventstore.RecordedEvent) eventstore.Position {
	if len(events) == 0 {
		return after
	}
	return events[len(events)-1].Position
}

// queryEvents runs one of the prepared event queries; presize is how many events to reserve room for (see
// collectEvents): the limit of a read of $all, whose pages are usually full, and 0 for a stream, which a
// command reads with a generous limit and usually finds short.
func (s *Store) queryEvents(ctx context.Context, presize int, query string, args ...any) ([]eventstore.RecordedEvent, error) {
	stmt, err := s.stmts.get(ctx, query)
	if err != nil {
		return nil, err
	}
	rows, err := stmt.QueryContext(ctx, args...)
	return collectEvents(presize, rows, err)
}
