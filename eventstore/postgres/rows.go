package postgres

import (
	"database/sql"
	"strconv"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// eventColumns is the select list every event query shares, in the order scanEvent reads it.
const eventColumns = `tx_id, seq, stream_id, revision, event_id, event_type, data, metadata, created_at`

// scanEvent reads one row selected with eventColumns, followed by any extra columns the query adds.
func scanEvent(rows *sql.Rows, extra ...any) (eventstore.RecordedEvent, error) {
	var (
		e        eventstore.RecordedEvent
		revision int64
	)
	dest := append([]any{
		&e.Position.Commit, &e.Position.Prepare, &e.StreamID, &revision, &e.ID, &e.Type, &e.Data, &e.Metadata, &e.Created,
	}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return eventstore.RecordedEvent{}, err
	}
	e.Revision = uint64(revision)
	return e, nil
}

// collectEvents reads every row of an event query.
func collectEvents(rows *sql.Rows, err error) ([]eventstore.RecordedEvent, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var events []eventstore.RecordedEvent
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		events = append(events, e)
	}
	return events, rows.Err()
}

// positionArgs encodes a position as the ($n::xid8, $n::bigint) pair the $all queries compare against. The
// transaction id travels as text because xid8 is unsigned and database/sql refuses uint64 values >= 2^63.
func positionArgs(p eventstore.Position) (txID string, seq int64) {
	return strconv.FormatUint(p.Commit, 10), int64(p.Prepare)
}
