package postgres

import (
	"database/sql"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// eventScanner reads the rows of one event query (selected with eventOutput) into RecordedEvents, with
// few allocations: reading the log is a third of a replay's Go CPU, most of it allocating. The columns are
// scanned as raw bytes; payloads and metadata are copied into shared blocks (ownedBytes) instead of one
// allocation each; a stream name or event type equal to one already read is reused.
//
// Warning: the events of one query share those blocks. Each event's Data and Metadata are capped to their
// own bytes (appending to them reallocates), but an event kept after the others keeps its block alive (at
// most blockBytes, or its own payload when larger).
type eventScanner struct {
	txID, streamID, eventID, eventType, created sql.RawBytes
	seq, revision                               int64
	data, metadata                              ownedBytes
	dest                                        []any

	lastStream string
	types      map[string]string // event type names read so far, to share one string per name
	block      []byte            // the current block Data and Metadata are copied into
}

func newEventScanner() *eventScanner {
	s := &eventScanner{types: map[string]string{}}
	s.data.scanner, s.metadata.scanner = s, s
	s.dest = []any{&s.txID, &s.seq, &s.streamID, &s.revision, &s.eventID, &s.eventType, &s.data, &s.metadata, &s.created}
	return s
}

// scan reads the current row; extra receives the columns a query selects after eventOutput.
func (s *eventScanner) scan(rows *sql.Rows, extra ...any) (eventstore.RecordedEvent, error) {
	dest := s.dest
	if len(extra) > 0 {
		dest = append(dest[:len(dest):len(dest)], extra...)
	}
	if err := rows.Scan(dest...); err != nil {
		return eventstore.RecordedEvent{}, err
	}
	return s.decode()
}

// decode builds the event from the raw columns of the row just scanned.
func (s *eventScanner) decode() (eventstore.RecordedEvent, error) {
	if len(s.txID) != 8 || len(s.eventID) != 16 || len(s.created) != 8 {
		return eventstore.RecordedEvent{}, fmt.Errorf("eventstore/postgres: event row with %d-byte tx_id, %d-byte event_id, %d-byte created_at",
			len(s.txID), len(s.eventID), len(s.created))
	}
	created, err := timestampFromBinary(int64(binary.BigEndian.Uint64(s.created)))
	if err != nil {
		return eventstore.RecordedEvent{}, err
	}
	e := eventstore.RecordedEvent{
		Position: eventstore.Position{Commit: binary.BigEndian.Uint64(s.txID), Prepare: uint64(s.seq)},
		StreamID: s.stream(), Revision: uint64(s.revision), Type: s.typeName(),
		Data: s.data.value, Metadata: s.metadata.value, Created: created,
	}
	copy(e.ID[:], s.eventID)
	return e, nil
}

// stream returns the row's stream name, the previous row's string when it is the same stream (events of
// one append come together).
func (s *eventScanner) stream() string {
	if string(s.streamID) != s.lastStream {
		s.lastStream = string(s.streamID)
	}
	return s.lastStream
}

// typeName returns the row's event type, one string per name.
func (s *eventScanner) typeName() string {
	if name, ok := s.types[string(s.eventType)]; ok {
		return name
	}
	name := string(s.eventType)
	s.types[name] = name
	return name
}

// ownedBytes is a bytea column scanned into the scanner's blocks: NULL as nil, an empty value as empty and
// non-nil (what scanning into a []byte gives).
type ownedBytes struct {
	scanner *eventScanner
	value   []byte
}

// Scan implements sql.Scanner. src is the driver's buffer, valid until the next row: it is copied.
func (o *ownedBytes) Scan(src any) error {
	switch src := src.(type) {
	case nil:
		o.value = nil
	case []byte:
		o.value = o.scanner.own(src)
	default:
		return fmt.Errorf("eventstore/postgres: bytea column scanned from %T", src)
	}
	return nil
}

// own copies raw into the current block (a new one when it does not fit) and returns the copy, capped to
// its length.
func (s *eventScanner) own(raw []byte) []byte {
	if len(raw) == 0 {
		return []byte{}
	}
	if len(raw) > cap(s.block)-len(s.block) {
		// Blocks double from a small first one: a command reading a few events of its stream allocates
		// little, a page of the whole log a few large blocks.
		s.block = make([]byte, 0, max(len(raw), min(2*cap(s.block), blockBytes), firstBlockBytes))
	}
	start := len(s.block)
	s.block = append(s.block, raw...)
	return s.block[start:len(s.block):len(s.block)]
}

const (
	firstBlockBytes = 2 << 10
	blockBytes      = 256 << 10
)

// postgresEpochSeconds is 2000-01-01T00:00:00Z in Unix seconds, the zero of PostgreSQL's timestamps.
const postgresEpochSeconds = 946_684_800

// timestampFromBinary turns timestamptz_send's value, microseconds since 2000-01-01 UTC, into a UTC time.
// PostgreSQL's infinities (the extreme int64 values) have no time.Time and are refused, as lib/pq refuses
// their text.
func timestampFromBinary(micros int64) (time.Time, error) {
	const microsPerSecond = 1_000_000
	if micros == 1<<63-1 || micros == -1<<63 {
		return time.Time{}, fmt.Errorf("eventstore/postgres: infinite created_at")
	}
	seconds, rest := micros/microsPerSecond, micros%microsPerSecond
	if rest < 0 {
		seconds, rest = seconds-1, rest+microsPerSecond
	}
	return time.Unix(postgresEpochSeconds+seconds, rest*1000).UTC(), nil
}
