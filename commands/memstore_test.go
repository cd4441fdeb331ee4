package commands_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// memStore is an in-memory eventstore.Store for the pipeline tests, following the port's documented
// semantics for what the pipeline uses (appends with expected revision and id deduplication, forward stream
// reads, ReadAll). It stands in until the PostgreSQL adapter is committed.
type memStore struct {
	mu    sync.Mutex
	log   []eventstore.RecordedEvent
	ids   map[uuid.UUID]int // event id → index in log
	heads map[string]uint64
}

func newMemStore() *memStore {
	return &memStore{ids: map[uuid.UUID]int{}, heads: map[string]uint64{}}
}

func (m *memStore) Append(_ context.Context, stream string, expected eventstore.ExpectedRevision, events ...eventstore.EventData) (eventstore.AppendResult, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var actual *uint64
	if head, ok := m.heads[stream]; ok {
		actual = &head
	}
	if res, ok := m.duplicate(stream, expected, events); ok {
		return res, nil
	}
	if !expected.Allows(actual) {
		return eventstore.AppendResult{}, &eventstore.WrongExpectedVersionError{Stream: stream, Expected: expected, Actual: actual}
	}
	next := uint64(0)
	if actual != nil {
		next = *actual + 1
	}
	for _, e := range events {
		if _, taken := m.ids[e.ID]; taken {
			return eventstore.AppendResult{}, &eventstore.WrongExpectedVersionError{Stream: stream, Expected: expected, Actual: actual}
		}
	}
	for i, e := range events {
		position := uint64(len(m.log) + 1)
		m.ids[e.ID] = len(m.log)
		m.log = append(m.log, eventstore.RecordedEvent{ID: e.ID, StreamID: stream, Revision: next + uint64(i),
			Position: eventstore.Position{Commit: position, Prepare: position}, Type: e.Type,
			Data: slices.Clone(e.Data), Metadata: slices.Clone(e.Metadata), Created: time.Now()})
		m.heads[stream] = next + uint64(i)
	}
	last := m.log[len(m.log)-1]
	return eventstore.AppendResult{NextRevision: last.Revision, Position: last.Position}, nil
}

// duplicate acknowledges a retried batch: every id already stored, consecutively, in this stream, where the
// expected revision puts it.
func (m *memStore) duplicate(stream string, expected eventstore.ExpectedRevision, events []eventstore.EventData) (eventstore.AppendResult, bool) {
	var found []eventstore.RecordedEvent
	for _, e := range events {
		if i, ok := m.ids[e.ID]; ok && m.log[i].StreamID == stream {
			found = append(found, m.log[i])
		}
	}
	if len(found) == 0 || len(found) != len(events) {
		return eventstore.AppendResult{}, false
	}
	for i := range found {
		if found[i].Revision != found[0].Revision+uint64(i) {
			return eventstore.AppendResult{}, false
		}
	}
	var before *uint64
	if found[0].Revision > 0 {
		r := found[0].Revision - 1
		before = &r
	}
	if !expected.Allows(before) {
		return eventstore.AppendResult{}, false
	}
	last := found[len(found)-1]
	return eventstore.AppendResult{NextRevision: last.Revision, Position: last.Position}, true
}

func (m *memStore) ReadStream(_ context.Context, stream string, direction eventstore.Direction, from eventstore.StreamFrom, limit int) ([]eventstore.RecordedEvent, error) {
	if direction != eventstore.Forwards {
		return nil, errors.New("memStore: only forward stream reads are implemented")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.heads[stream]; !ok {
		return nil, eventstore.ErrStreamNotFound
	}
	start, _ := from.Revision()
	var page []eventstore.RecordedEvent
	for _, e := range m.log {
		if e.StreamID == stream && e.Revision >= start && len(page) < limit {
			page = append(page, e)
		}
	}
	return page, nil
}

func (m *memStore) ReadAll(_ context.Context, from eventstore.AllFrom, limit int) ([]eventstore.RecordedEvent, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	after, _ := from.Position()
	var page []eventstore.RecordedEvent
	for _, e := range m.log {
		if e.Position.Compare(after) > 0 && len(page) < limit {
			page = append(page, e)
		}
	}
	return page, nil
}

func (m *memStore) SubscribeAll(context.Context, eventstore.AllFrom, eventstore.Filter) (eventstore.Subscription, error) {
	return nil, errors.New("memStore: subscriptions are not implemented")
}

func (m *memStore) Close() error { return nil }
