package storetest

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// memStore is the in-memory reference Store the suite is tested against before real adapters exist. Like a
// database, it reserves global positions when a write starts and makes them visible at commit; readers of
// the global order stop at the first uncommitted entry, so a late-committing writer is never skipped.
type memStore struct {
	mu      sync.Mutex
	log     []memEntry       // the global order; entry i has position i+1
	streams map[string][]int // stream id → indices into log, by revision
	busy    map[string]bool  // streams with a held (uncommitted) write
	changed chan struct{}    // closed and replaced whenever the log changes
	closed  chan struct{}    // closed by Close: every subscription ends
	once    sync.Once
	// skipPending breaks the store on purpose: readers pass over uncommitted entries instead of waiting
	// for them, the classic bug of sequence-ordered SQL event stores. Only the suite's own tests set it.
	skipPending bool
}

type memEntry struct {
	event     eventstore.RecordedEvent
	committed bool
}

func newMemStore() *memStore {
	return &memStore{
		streams: map[string][]int{},
		busy:    map[string]bool{},
		changed: make(chan struct{}),
		closed:  make(chan struct{}),
	}
}

func (s *memStore) Append(ctx context.Context, stream string, expected eventstore.ExpectedRevision, events ...eventstore.EventData) (eventstore.AppendResult, error) {
	return s.appendHeld(ctx, stream, expected, 0, events...)
}

// appendHeld appends like Append but leaves the entries uncommitted for hold: the SlowAppend emulation.
func (s *memStore) appendHeld(ctx context.Context, stream string, expected eventstore.ExpectedRevision, hold time.Duration, events ...eventstore.EventData) (eventstore.AppendResult, error) {
	if len(events) == 0 {
		return eventstore.AppendResult{}, errors.New("memstore: append without events")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.busy[stream] {
		if err := s.waitLocked(ctx, nil); err != nil {
			return eventstore.AppendResult{}, err
		}
	}
	if res, retried, err := s.retriedLocked(stream, expected, events); retried {
		return res, err
	}
	if actual := s.lastRevisionLocked(stream); !expected.Allows(actual) {
		return eventstore.AppendResult{}, &eventstore.WrongExpectedVersionError{Stream: stream, Expected: expected, Actual: actual}
	}
	var last eventstore.RecordedEvent
	for _, e := range events {
		last = eventstore.RecordedEvent{
			ID: e.ID, StreamID: stream, Revision: uint64(len(s.streams[stream])),
			Position: eventstore.Position{Commit: uint64(len(s.log) + 1), Prepare: uint64(len(s.log) + 1)},
			Type:     e.Type, Data: e.Data, Metadata: e.Metadata, Created: time.Now(),
		}
		s.streams[stream] = append(s.streams[stream], len(s.log))
		s.log = append(s.log, memEntry{event: last})
	}
	if hold > 0 {
		s.busy[stream] = true
		s.mu.Unlock()
		time.Sleep(hold)
		s.mu.Lock()
		delete(s.busy, stream)
	}
	for _, i := range s.streams[stream][last.Revision+1-uint64(len(events)):] {
		s.log[i].committed = true
	}
	s.notifyLocked()
	return eventstore.AppendResult{NextRevision: last.Revision, Position: last.Position}, nil
}

// retriedLocked recognises a retried append: the stream already holds the first event's id where expected
// points (anywhere, for Any and StreamExists). All ids must then match, else the retry is refused.
func (s *memStore) retriedLocked(stream string, expected eventstore.ExpectedRevision, events []eventstore.EventData) (eventstore.AppendResult, bool, error) {
	indices := s.streams[stream]
	first := -1
	if r, ok := expected.Exact(); ok {
		first = int(r) + 1
	} else if expected.IsNoStream() {
		first = 0
	} else {
		for rev, i := range indices {
			if s.log[i].event.ID == events[0].ID {
				first = rev
			}
		}
	}
	if first < 0 || first >= len(indices) || s.log[indices[first]].event.ID != events[0].ID {
		return eventstore.AppendResult{}, false, nil
	}
	for k, e := range events {
		if first+k >= len(indices) || s.log[indices[first+k]].event.ID != e.ID {
			return eventstore.AppendResult{}, true, &eventstore.WrongExpectedVersionError{
				Stream: stream, Expected: expected, Actual: s.lastRevisionLocked(stream)}
		}
	}
	last := s.log[indices[first+len(events)-1]].event
	return eventstore.AppendResult{NextRevision: last.Revision, Position: last.Position}, true, nil
}

func (s *memStore) lastRevisionLocked(stream string) *uint64 {
	n := len(s.streams[stream])
	if n == 0 {
		return nil
	}
	last := uint64(n - 1)
	return &last
}

func (s *memStore) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// waitLocked releases the lock until the log changes, ctx ends, the store closes or stop is closed.
func (s *memStore) waitLocked(ctx context.Context, stop <-chan struct{}) error {
	changed := s.changed
	s.mu.Unlock()
	defer s.mu.Lock()
	select {
	case <-changed:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-s.closed:
		return errors.New("memstore: store closed")
	case <-stop:
		return errors.New("memstore: subscription closed")
	}
}

// visibleUntilLocked returns the end of the stretch of the log, from index from, that readers of the global
// order may pass over: up to the first uncommitted entry (or the whole log when skipPending breaks it).
func (s *memStore) visibleUntilLocked(from int) int {
	end := from
	for end < len(s.log) && (s.log[end].committed || s.skipPending) {
		end++
	}
	return end
}

func (s *memStore) Close() error {
	s.once.Do(func() { close(s.closed) })
	return nil
}
