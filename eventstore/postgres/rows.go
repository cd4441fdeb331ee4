package postgres

import (
	"database/sql"
	"strconv"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// eventColumns names an event row's columns, for inner selects and sorts: queries return them through
// eventOutput.
const eventColumns = `tx_id, seq, stream_id, revision, event_id, event_type, data, metadata, created_at`

// eventOutput is the select list every event query returns, in the order eventScanner reads it. The
// transaction id, event id and creation time travel in their binary forms (as bytea, the one way lib/pq
// takes them in binary): their text forms cost PostgreSQL a formatting call and Go a parse per row, and the
// event id came back as 36 characters of text to parse again. Warning: eventScanner.decode must change
// with it.
const eventOutput = `xid8send(tx_id), seq, stream_id, revision, uuid_send(event_id), event_type, data, metadata,
timestamptz_send(created_at)`

// collectEvents reads every row of an event query into a slice with room for presize events (at most
// maxPresized) from the start.
func collectEvents(presize int, rows *sql.Rows, err error) ([]eventstore.RecordedEvent, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	events := make([]eventstore.RecordedEvent, 0, min(presize, maxPresized))
	scanner := newEventScanner()
	for rows.Next() {
		e, err := scanner.scan(rows)
		if err != nil {
			return nil, err
		}
		events = append(events, e)
	}
	return events, rows.Err()
}

// maxPresized bounds the capacity collectEvents reserves up front (about 1.5 MB of events): a replay's
// pages hold 10,000 events, and growing the slice as they came was a tenth of reading the log.
const maxPresized = 10_000

// positionArgs encodes a position as the ($n::xid8, $n::bigint) pair the $all queries compare against. The
// transaction id travels as text because xid8 is unsigned and database/sql refuses uint64 values >= 2^63.
func positionArgs(p eventstore.Position) (txID string, seq int64) {
	return strconv.FormatUint(p.Commit, 10), int64(p.Prepare)
}
