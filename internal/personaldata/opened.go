package personaldata

import (
	"bytes"
	"sync"

	"github.com/google/uuid"
)

// openedMemoSize is how many opened events one subject's keys remember. The projections of a process read
// the same page of $all within moments of each other, so the few events of a subject in flight are enough.
const openedMemoSize = 8

// openedMemo remembers the last events opened with one subject's keys (see subjectKeys.memo), so the
// projection subscriptions of a process, every one of them reading the same events of $all, open a sealed
// event once instead of once each: with twenty projections, opening (a JSON scan and an AES-GCM open per
// personal field) was most of what reading the log cost the Go side.
//
// It lives in the subjectKeys it was computed with, never beside them: opening is a function of the event
// and the keys, so a remembered answer is exactly what opening again with the same keys gives, and when the
// cache drops or replaces those keys (expiry, an erasure read) their answers go with them. Warning: keying
// it by event alone, or keeping it across key lookups, would hand out plaintext after an erasure.
//
// The opened data is shared by every reader it is handed to, like the store's pages: nobody may change an
// event's data in place.
type openedMemo struct {
	mu      sync.Mutex
	next    int
	entries [openedMemoSize]openedEntry
}

// openedEntry is one event as read from the store (its id, type and data) and its data opened.
type openedEntry struct {
	id        uuid.UUID
	eventType string
	sealed    []byte
	opened    []byte
}

// get returns the opened data of the event with this id, type and data as read, if remembered.
func (m *openedMemo) get(id uuid.UUID, eventType string, sealed []byte) ([]byte, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.entries {
		e := &m.entries[i]
		if e.opened != nil && e.id == id && e.eventType == eventType && bytes.Equal(e.sealed, sealed) {
			return e.opened, true
		}
	}
	return nil, false
}

// put remembers an event's opened data, forgetting the oldest one remembered.
func (m *openedMemo) put(id uuid.UUID, eventType string, sealed, opened []byte) {
	if opened == nil {
		return // nothing to remember, and nil marks an empty entry
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries[m.next] = openedEntry{id: id, eventType: eventType, sealed: sealed, opened: opened}
	m.next = (m.next + 1) % openedMemoSize
}
