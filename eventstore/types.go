package eventstore

import (
	"fmt"
	"time"

	"github.com/google/uuid"
)

// EventData is an event proposed for appending. Its ID is what makes a retried append safe: a store
// that already holds these ids at the expected place acknowledges the retry instead of writing twice.
type EventData struct {
	ID       uuid.UUID
	Type     string
	Data     []byte // JSON document
	Metadata []byte // JSON document, may be nil
}

// RecordedEvent is an event as the store holds it.
type RecordedEvent struct {
	ID       uuid.UUID
	StreamID string
	// Revision is the event's zero-based index inside its stream.
	Revision uint64
	// Position is the event's place in the global ($all) order.
	Position Position
	Type     string
	Data     []byte
	Metadata []byte
	Created  time.Time
}

// Position is a place in the global order of all events. Treat it as opaque: the numbers mean different
// things per backend (EventStoreDB log offsets; PostgreSQL transaction id and sequence), so only compare
// positions with Compare and persist both fields as they are.
type Position struct {
	Commit  uint64
	Prepare uint64
}

// Compare orders positions: -1 when p comes before o, 0 when equal, +1 when after.
func (p Position) Compare(o Position) int {
	switch {
	case p.Commit < o.Commit:
		return -1
	case p.Commit > o.Commit:
		return 1
	case p.Prepare < o.Prepare:
		return -1
	case p.Prepare > o.Prepare:
		return 1
	}
	return 0
}

func (p Position) String() string { return fmt.Sprintf("%d/%d", p.Commit, p.Prepare) }

// AppendResult tells where an append landed.
type AppendResult struct {
	// NextRevision is the revision of the last event now in the stream: pass it as Exact(NextRevision)
	// for the next append.
	NextRevision uint64
	// Position is the global position of the last appended event; projections that reached it reflect the
	// append (read-your-writes).
	Position Position
}

// Direction is the order in which a stream is read.
type Direction int

const (
	// Forwards reads from older to newer events.
	Forwards Direction = iota
	// Backwards reads from newer to older events.
	Backwards
)
