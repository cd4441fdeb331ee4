package personaldata

import (
	"hash/maphash"
	"sync"

	"github.com/google/uuid"
)

// openedMemoSize is how many opened events one subject's keys remember. The projections of a process read
// the same page of $all within moments of each other, so the few events of a subject in flight are enough.
// Warning: the key cache holds up to DefaultCacheSubjects subjects' keys, each with its memo: a few opened
// events each (~1 KiB apiece) is already up to tens of MiB on a server busy with that many people.
const openedMemoSize = 4

// sealedSeed keys the hashes that tell an event's data as read apart from other data under the same id.
var sealedSeed = maphash.MakeSeed()

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
// event's data in place.
type openedMemo struct {
	mu      sync.Mutex
	next    int
	entries [openedMemoSize]openedEntry
}

// openedEntry is one event as read from the store (its id, type, and the length and hash of its data) and
// its data opened. The log never changes an event, so its id alone names its data; the length and hash only
// guard against a reader handing over other data under that id, without keeping the sealed bytes alive.
type openedEntry struct {
	id        uuid.UUID
	eventType string
	length    int
	hash      uint64
	opened    []byte
}

// get returns the opened data of the event with this id, type and data as read, if remembered.
func (m *openedMemo) get(id uuid.UUID, eventType string, sealed []byte) ([]byte, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.entries {
		e := &m.entries[i]
		if e.opened != nil && e.id == id && e.eventType == eventType && e.length == len(sealed) &&
			e.hash == maphash.Bytes(sealedSeed, sealed) {
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
	hash := maphash.Bytes(sealedSeed, sealed)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries[m.next] = openedEntry{id: id, eventType: eventType, length: len(sealed), hash: hash, opened: opened}
	m.next = (m.next + 1) % openedMemoSize
}
