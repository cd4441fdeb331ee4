package personaldata

import (
	"testing"

	"github.com/google/uuid"
)

func TestTheMemoTellsEventsApartByStreamRevisionAndID(t *testing.T) {
	t.Parallel()
	remembered := eventIdentity{stream: "customer-1", revision: 3, id: uuid.New()}
	tests := []struct {
		name  string
		asked eventIdentity
		found bool
	}{
		{name: "the same event", asked: remembered, found: true},
		{name: "another stream", asked: eventIdentity{stream: "customer-2", revision: 3, id: remembered.id}},
		{name: "another revision", asked: eventIdentity{stream: "customer-1", revision: 4, id: remembered.id}},
		{name: "another id", asked: eventIdentity{stream: "customer-1", revision: 3, id: uuid.New()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Given a memo that remembers one event.
			var m openedMemo
			m.put(remembered, []byte("opened"))
			// When an event is asked for.
			_, found := m.get(tt.asked)
			// Then it is found only when stream, revision and id all match.
			if found != tt.found {
				t.Fatalf("found %v, want %v", found, tt.found)
			}
		})
	}
}

func TestTheMemoKeepsOnlyEventsUpToItsBound(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		size       int
		remembered bool
	}{
		{name: "a small event", size: 100, remembered: true},
		{name: "exactly the bound", size: openedMemoMaxBytes, remembered: true},
		{name: "one byte above the bound", size: openedMemoMaxBytes + 1},
		{name: "a large event", size: 1 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Given an event opened to this much plaintext.
			var m openedMemo
			event := eventIdentity{stream: "customer-1", id: uuid.New()}
			// When it is offered to the memo.
			m.put(event, make([]byte, tt.size))
			// Then the memo remembers it only up to the bound.
			if _, ok := m.get(event); ok != tt.remembered {
				t.Fatalf("remembered %v, want %v", ok, tt.remembered)
			}
		})
	}
}

func TestTheMemoForgetsTheOldestEventsFirst(t *testing.T) {
	t.Parallel()
	// Given a memo full of events.
	var m openedMemo
	events := make([]eventIdentity, openedMemoSize+1)
	for i := range events {
		events[i] = eventIdentity{stream: "customer-1", revision: uint64(i), id: uuid.New()}
	}
	for _, e := range events[:openedMemoSize] {
		m.put(e, []byte("opened "+e.id.String()))
	}
	// When one more is remembered.
	m.put(events[openedMemoSize], []byte("opened"))
	// Then the oldest is forgotten and the others are still there.
	for i, e := range events {
		_, ok := m.get(e)
		if ok != (i > 0) {
			t.Fatalf("event %d remembered: %v", i, ok)
		}
	}
}
