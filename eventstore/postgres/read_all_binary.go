package postgres

import (
	"context"
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// readAllBinaryQuery is readAllQuery for the binary connections (binaryConns): the plain columns, which
// PostgreSQL sends in their binary forms when asked (binaryResults), so the xid8send/uuid_send wrappers of
// eventOutput are not needed. Warning: decodeBinaryRow reads the columns in eventColumns' order.
const readAllBinaryQuery = `SELECT ` + eventColumns + readAllTail

// binaryResults asks for every column of readAllBinaryQuery in binary form.
var binaryResults = []int16{1, 1, 1, 1, 1, 1, 1, 1, 1}

// readAllBinary runs readAllBinaryQuery below fence, which must come from an earlier statement (see
// appendFenceQuery). A read is idempotent, so one whose connection was lost (the idle connections died with
// a server restart or failover) is run once more on a new connection, as database/sql would.
func (s *Store) readAllBinary(ctx context.Context, after eventstore.Position, limit int, fence string) ([]eventstore.RecordedEvent, error) {
	params := [][]byte{
		strconv.AppendUint(nil, after.Commit, 10), strconv.AppendUint(nil, after.Prepare, 10),
		strconv.AppendInt(nil, int64(limit), 10), []byte(fence),
	}
	events, lost, err := s.readAllBinaryOnce(ctx, params, limit, false)
	if lost && ctx.Err() == nil {
		s.binary.dropIdle()
		events, _, err = s.readAllBinaryOnce(ctx, params, limit, true)
	}
	return events, err
}

// readAllBinaryOnce is one attempt of readAllBinary, on a new connection when fresh is set. lost reports
// that the attempt failed with its connection (the server ended it, or the network), not on a healthy one.
func (s *Store) readAllBinaryOnce(ctx context.Context, params [][]byte, limit int, fresh bool) (events []eventstore.RecordedEvent, lost bool, err error) {
	c, err := s.binary.get(ctx, fresh)
	if err != nil {
		return nil, false, err
	}
	rr := c.conn.ExecStatement(ctx, c.readAll, params, nil, binaryResults)
	events = make([]eventstore.RecordedEvent, 0, min(limit, maxPresized))
	scanner := newEventScanner()
	var decodeErr error
	for decodeErr == nil && rr.NextRow() {
		var e eventstore.RecordedEvent
		if e, decodeErr = scanner.decodeBinaryRow(rr.Values()); decodeErr == nil {
			events = append(events, e)
		}
	}
	_, err = rr.Close() // reads what is left of the result, so the connection can serve again
	lost = err != nil && c.conn.IsClosed()
	s.binary.put(c)
	if err == nil {
		err = decodeErr
	}
	if err != nil {
		return nil, lost, err
	}
	return events, false, nil
}

// decodeBinaryRow builds the event from one row of readAllBinaryQuery in binary form. values are slices of
// pgconn's read buffer, valid until the next row: payloads are copied into the scanner's blocks (own), names
// into strings, exactly as the text protocol's scan does (NULL payloads stay nil, empty ones empty).
func (s *eventScanner) decodeBinaryRow(values [][]byte) (eventstore.RecordedEvent, error) {
	if len(values) != 9 || len(values[1]) != 8 || len(values[3]) != 8 || values[2] == nil || values[5] == nil {
		return eventstore.RecordedEvent{}, fmt.Errorf("eventstore/postgres: event row of %d columns, a NULL name or a seq or revision not of 8 bytes", len(values))
	}
	s.txID, s.streamID, s.eventID, s.eventType, s.created = values[0], values[2], values[4], values[5], values[8]
	s.seq, s.revision = int64(binary.BigEndian.Uint64(values[1])), int64(binary.BigEndian.Uint64(values[3]))
	s.data.value, s.metadata.value = s.ownNullable(values[6]), s.ownNullable(values[7])
	return s.decode()
}

// ownNullable is own for a column that may be NULL (nil).
func (s *eventScanner) ownNullable(raw []byte) []byte {
	if raw == nil {
		return nil
	}
	return s.own(raw)
}
