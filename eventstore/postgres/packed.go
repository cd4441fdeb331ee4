package postgres

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// readAllPackedQuery is readAllQuery with the page packed by PostgreSQL: one bytea per transaction, its rows
// as record_send writes them (see unpackRow), concatenated. lib/pq and database/sql then handle one value per
// transaction instead of nine per row (reading a rebuild's pages row by row was about a third of its Go CPU),
// for a record_send per row on the server (about what sending the columns one by one costs). The groups
// follow the ordered subquery, so the plan is a streaming GroupAggregate: no sort, no hash table, and the
// values come in position order.
//
// Warning: keep the groups in the subquery's order and small. Packing a whole page into one value made
// PostgreSQL copy megabytes into fresh memory three times a page (four times the CPU of the row protocol);
// grouping by anything else than tx_id made the planner sort the page's rows on disk. orderPage still checks
// the order, since SQL does not promise it. A transaction over 1 GB cannot be packed: readAllBelowFence then
// reads the page row by row (see tooLargeToPack).
const readAllPackedQuery = `SELECT string_agg(record_send(ROW(` + eventColumns + `)), NULL) FROM (
SELECT ` + eventColumns + ` FROM events
WHERE (tx_id, seq) > ($1::xid8, $2::bigint) AND tx_id < $4::xid8 AND stream_id NOT LIKE '$%'
ORDER BY tx_id, seq LIMIT $3) page
GROUP BY tx_id`

// queryPackedEvents runs readAllPackedQuery with args and unpacks its rows into events in position order.
func (s *Store) queryPackedEvents(ctx context.Context, presize int, args ...any) ([]eventstore.RecordedEvent, error) {
	stmt, err := s.stmts.get(ctx, readAllPackedQuery)
	if err != nil {
		return nil, err
	}
	rows, err := stmt.QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	events := make([]eventstore.RecordedEvent, 0, min(presize, maxPresized))
	var runs []packedRun
	scanner := newEventScanner()
	for rows.Next() {
		var packed sql.RawBytes
		if err := rows.Scan(&packed); err != nil {
			return nil, err
		}
		start := len(events)
		if events, err = scanner.unpack(events, packed); err != nil {
			return nil, err
		}
		if len(events) > start {
			runs = append(runs, packedRun{start, len(events)})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return orderPage(events, runs), nil
}

// tooLargeToPack reports whether the packed read failed for a reason reading the same rows one by one does
// not meet: a page whose packed value passes PostgreSQL's 1 GB limit on one value (program_limit_exceeded
// from the aggregate's buffer, out_of_memory or internal_error from the allocation that holds it).
func tooLargeToPack(err error) bool {
	var pqErr *pq.Error
	if !errors.As(err, &pqErr) {
		return false
	}
	return pqErr.Code.Class() == "54" || pqErr.Code.Class() == "53" || pqErr.Code == "XX000"
}

// packedColumnTypes are the type oids record_send writes for ROW(eventColumns), in eventColumns' order.
var packedColumnTypes = [...]uint32{
	5069, // tx_id xid8
	20,   // seq bigint
	25,   // stream_id text
	20,   // revision bigint
	2950, // event_id uuid
	25,   // event_type text
	17,   // data bytea
	17,   // metadata bytea
	1184, // created_at timestamptz
}

// unpack appends to events the events of one value of readAllPackedQuery: each row is a column count, then
// for every column its type oid (4 bytes), its length (4 bytes, -1 for NULL) and its binary form, all big
// endian. The columns' binary forms are those eventOutput selects, so each row goes through
// eventScanner.decode; packed may be the driver's buffer: whatever an event keeps is copied.
func (s *eventScanner) unpack(events []eventstore.RecordedEvent, packed []byte) ([]eventstore.RecordedEvent, error) {
	for rest := packed; len(rest) > 0; {
		var err error
		if rest, err = s.unpackRow(rest); err != nil {
			return nil, err
		}
		e, err := s.decode()
		if err != nil {
			return nil, err
		}
		events = append(events, e)
	}
	return events, nil
}

// unpackRow points the scanner's columns at the first row of packed and returns what follows it.
func (s *eventScanner) unpackRow(packed []byte) ([]byte, error) {
	if len(packed) < 4 || binary.BigEndian.Uint32(packed) != uint32(len(packedColumnTypes)) {
		return nil, errors.New("eventstore/postgres: packed page: row does not start with its 9 columns")
	}
	rest := packed[4:]
	var columns [len(packedColumnTypes)][]byte
	for i, want := range packedColumnTypes {
		if len(rest) < 8 {
			return nil, fmt.Errorf("eventstore/postgres: packed page: column %d cut short", i)
		}
		oid, size := binary.BigEndian.Uint32(rest), int32(binary.BigEndian.Uint32(rest[4:]))
		rest = rest[8:]
		switch {
		case oid != want:
			return nil, fmt.Errorf("eventstore/postgres: packed page: column %d has type %d, not %d", i, oid, want)
		case size == -1:
			continue // NULL: columns[i] stays nil
		case size < 0 || int(size) > len(rest):
			return nil, fmt.Errorf("eventstore/postgres: packed page: column %d of %d bytes with %d left", i, size, len(rest))
		}
		columns[i], rest = rest[:size:size], rest[size:]
	}
	if len(columns[1]) != 8 || len(columns[3]) != 8 || columns[2] == nil || columns[5] == nil {
		return nil, errors.New("eventstore/postgres: packed page: row without its seq, revision, stream or type")
	}
	s.txID, s.streamID, s.eventID, s.eventType, s.created = columns[0], columns[2], columns[4], columns[5], columns[8]
	s.seq, s.revision = int64(binary.BigEndian.Uint64(columns[1])), int64(binary.BigEndian.Uint64(columns[3]))
	s.data.value, s.metadata.value = s.ownNullable(columns[6]), s.ownNullable(columns[7])
	return rest, nil
}

// ownNullable is own for a column that may be NULL (nil).
func (s *eventScanner) ownNullable(raw []byte) []byte {
	if raw == nil {
		return nil
	}
	return s.own(raw)
}
