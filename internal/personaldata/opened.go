package personaldata

import (
	"sync"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// openedMemoSize is how many opened events one subject's keys remember. The projections of a process read
// the same page of $all within moments of each other, so the few events of a subject in flight are enough.
const openedMemoSize = 4

// openedMemoMaxBytes is the largest opened data the memo keeps; a larger event is opened by each reader.
// Warning: the key cache holds up to DefaultCacheSubjects subjects' keys, each with its memo, so the memo
// alone may hold 10,000 × 4 × 4 KiB = 156 MiB at worst (a server busy with that many people, each writing
// events near this bound; each entry is an exact copy of the opened data, see openEvent). Typical events are
// about 1 KiB (~40 MiB then). `pelcro serve` collects garbage at GOGC=200 by default, so the heap around it
// may grow to three times that. Raising the size or this bound, or the cache's, multiplies that worst case.
const openedMemoMaxBytes = 4 << 10

// openedMemo remembers the last events opened with one subject's keys (see subjectKeys.memo), so the
// projection subscriptions of a process, every one of them reading the same events of $all, open a sealed
// event once instead of once each: with twenty projections, opening (a JSON scan and an AES-GCM open per
// personal field) was about 5 % of `pelcro serve`'s CPU under PUT /customer.
//
// It lives in the subjectKeys it was computed with, never beside them: opening is a function of the event
// and the keys, so a remembered answer is exactly what opening again with the same keys gives, and when the
// cache drops or replaces those keys (expiry, an erasure read) their answers go with them. Warning: keying
// it by event alone, or keeping it across key lookups, would hand out plaintext after an erasure.
//
// The opened data is shared by every reader it is handed to, like the store's pages: nobody may change an
// event's data in place, and it is handed out without spare capacity so that an append copies it.
type openedMemo struct {
	mu      sync.Mutex
	next    int
	entries [openedMemoSize]openedEntry
}

// eventIdentity names one event of the log: its place (stream and revision) and its id. The log never
// changes an event, so its place names its data; an event id alone does not, since ids repeat within a
// stream. Warning: keying on less than the place would hand one event's opened data to another.
type eventIdentity struct {
	stream   string
	revision uint64
	id       uuid.UUID
}

// identityOf is e's identity.
func identityOf(e *eventstore.RecordedEvent) eventIdentity {
	return eventIdentity{stream: e.StreamID, revision: e.Revision, id: e.ID}
}

// openedEntry is one event's identity and its data opened (nil marks an empty entry).
type openedEntry struct {
	event  eventIdentity
	opened []byte
}

// get returns the opened data of the event, if remembered.
func (m *openedMemo) get(event eventIdentity) ([]byte, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.entries {
		if e := &m.entries[i]; e.opened != nil && e.event == event {
			return e.opened, true
		}
	}
	return nil, false
}

// put remembers an event's opened data, forgetting the oldest one remembered; data above
// openedMemoMaxBytes is not remembered.
func (m *openedMemo) put(event eventIdentity, opened []byte) {
	if opened == nil || len(opened) > openedMemoMaxBytes {
		return // nil marks an empty entry; a large event would hold much memory for little CPU
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries[m.next] = openedEntry{event: event, opened: opened}
	m.next = (m.next + 1) % openedMemoSize
}
