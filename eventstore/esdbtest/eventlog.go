package esdbtest

import (
	"sort"
	"sync"
	"time"

	"github.com/google/uuid"
)

// logHeaderSize is the fake byte offset of the first record. No record sits at
// position 0, so a checkpoint of zero never collides with a real event.
const logHeaderSize = 128

// recordOverhead is the fake per-record header size added to each record's
// payload when computing the next position.
const recordOverhead = 64

// proposal is an event as the client proposed it, before it gets a place in the log.
type proposal struct {
	id             uuid.UUID
	eventType      string
	contentType    string
	customMetadata []byte
	data           []byte
}

// record is one committed event. Records never change once committed, so
// readers may keep them after releasing the log's lock.
type record struct {
	proposal
	stream       string
	revision     uint64
	position     uint64 // commit == prepare, as for every gRPC append on a real node
	createdTicks int64  // .NET ticks (100 ns) since the Unix epoch
}

// streamState indexes one stream's records by revision.
type streamState struct {
	records        []*record // index == revision
	firstRevision  map[uuid.UUID]uint64
	truncateBefore uint64 // revisions below it are hidden by a soft delete
	tombstoned     bool
}

// last returns the stream's newest record, or nil when it has none.
func (st *streamState) last() *record {
	if st == nil || len(st.records) == 0 {
		return nil
	}
	return st.records[len(st.records)-1]
}

// visible reports whether a read can see at least one event of the stream.
func (st *streamState) visible() bool {
	return st != nil && uint64(len(st.records)) > st.truncateBefore
}

// eventLog is the whole store: the $all sequence plus a per-stream index.
// Every write happens under mu, which makes multi-event appends atomic and
// keeps $all in commit order.
type eventLog struct {
	mu           sync.Mutex
	records      []*record
	streams      map[string]*streamState
	nextPosition uint64
	changed      chan struct{} // closed and replaced on every commit; see advance
}

func newEventLog() *eventLog {
	return &eventLog{
		streams:      make(map[string]*streamState),
		nextPosition: logHeaderSize,
		changed:      make(chan struct{}),
	}
}

// streamLocked returns the named stream, creating its index entry on demand.
func (l *eventLog) streamLocked(name string) *streamState {
	st, ok := l.streams[name]
	if !ok {
		st = &streamState{firstRevision: make(map[uuid.UUID]uint64)}
		l.streams[name] = st
	}
	return st
}

// commitLocked writes proposals at the end of the stream and of $all, then
// wakes every waiting subscriber. It returns the last record written.
func (l *eventLog) commitLocked(stream string, proposals []proposal) *record {
	st := l.streamLocked(stream)
	var last *record
	for _, p := range proposals {
		last = l.placeLocked(stream, uint64(len(st.records)), p)
		st.records = append(st.records, last)
		if _, seen := st.firstRevision[p.id]; !seen {
			st.firstRevision[p.id] = last.revision
		}
	}
	l.notifyLocked()
	return last
}

// placeLocked gives one event the next $all position. It does not touch the
// stream index: callers decide whether the record belongs there.
func (l *eventLog) placeLocked(stream string, revision uint64, p proposal) *record {
	r := &record{
		proposal:     p,
		stream:       stream,
		revision:     revision,
		position:     l.nextPosition,
		createdTicks: time.Now().UnixNano() / 100,
	}
	l.nextPosition += recordOverhead + uint64(len(stream)+len(p.eventType)+len(p.customMetadata)+len(p.data))
	l.records = append(l.records, r)
	return r
}

// notifyLocked wakes every subscriber waiting on watch.
func (l *eventLog) notifyLocked() {
	close(l.changed)
	l.changed = make(chan struct{})
}

// indexAtOrAfterLocked returns the index of the first $all record whose
// position is at least pos.
func (l *eventLog) indexAtOrAfterLocked(pos uint64) int {
	return sort.Search(len(l.records), func(i int) bool { return l.records[i].position >= pos })
}

// indexAfterLocked returns the index of the first $all record whose position
// is greater than pos.
func (l *eventLog) indexAfterLocked(pos uint64) int {
	return sort.Search(len(l.records), func(i int) bool { return l.records[i].position > pos })
}
