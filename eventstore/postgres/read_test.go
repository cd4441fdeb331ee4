package postgres

import (
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestReadStreamBounds(t *testing.T) {
	t.Parallel()
	store, ctx := newTestStore(t)
	// Given a stream of five events (revisions 0..4).
	events := newEvents(5)
	mustAppend(t, ctx, store, "customer-1", eventstore.NoStream(), events...)
	reversed := []eventstore.EventData{events[4], events[3], events[2], events[1], events[0]}
	cases := []struct {
		name      string
		direction eventstore.Direction
		from      eventstore.StreamFrom
		limit     int
		want      []eventstore.EventData
	}{
		{"forwards from start", eventstore.Forwards, eventstore.StreamStart(), 10, events},
		{"forwards from start, limited", eventstore.Forwards, eventstore.StreamStart(), 2, events[:2]},
		{"forwards from a revision, inclusive", eventstore.Forwards, eventstore.StreamRevision(3), 10, events[3:]},
		{"forwards past the end", eventstore.Forwards, eventstore.StreamRevision(9), 10, nil},
		{"forwards from end", eventstore.Forwards, eventstore.StreamEnd(), 10, nil},
		{"backwards from end", eventstore.Backwards, eventstore.StreamEnd(), 10, reversed},
		{"backwards from end, limited", eventstore.Backwards, eventstore.StreamEnd(), 1, reversed[:1]},
		{"backwards from a revision, inclusive", eventstore.Backwards, eventstore.StreamRevision(2), 10, reversed[2:]},
		{"backwards from start", eventstore.Backwards, eventstore.StreamStart(), 10, reversed[4:]},
		{"backwards from beyond the end", eventstore.Backwards, eventstore.StreamRevision(99), 2, reversed[:2]},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// When the stream is read, then exactly the wanted events come back in order.
			got, err := store.ReadStream(ctx, "customer-1", tc.direction, tc.from, tc.limit)
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			requireIDs(t, tc.name, got, tc.want)
		})
	}
}

func TestReadStreamNotFound(t *testing.T) {
	t.Parallel()
	store, ctx := newTestStore(t)
	// Given another stream exists, when a missing stream is read either way, then ErrStreamNotFound.
	mustAppend(t, ctx, store, "customer-1", eventstore.Any(), newEvents(1)...)
	for _, direction := range []eventstore.Direction{eventstore.Forwards, eventstore.Backwards} {
		for _, from := range []eventstore.StreamFrom{eventstore.StreamStart(), eventstore.StreamRevision(3), eventstore.StreamEnd()} {
			_, err := store.ReadStream(ctx, "customer-2", direction, from, 10)
			if !errors.Is(err, eventstore.ErrStreamNotFound) {
				t.Fatalf("direction %d from %+v: got %v, want ErrStreamNotFound", direction, from, err)
			}
		}
	}
}

func TestReadAllAfterPosition(t *testing.T) {
	t.Parallel()
	store, ctx := newTestStore(t)
	// Given events in two streams and one system stream, appended in this order.
	first, second, system, third := newEvents(2), newEvents(1), newEvents(1), newEvents(2)
	mustAppend(t, ctx, store, "customer-1", eventstore.Any(), first...)
	mark := mustAppend(t, ctx, store, "order-1", eventstore.Any(), second...)
	mustAppend(t, ctx, store, "$settings", eventstore.Any(), system...)
	mustAppend(t, ctx, store, "customer-1", eventstore.Any(), third...)
	all := append(append(append([]eventstore.EventData{}, first...), second...), third...)
	cases := []struct {
		name  string
		from  eventstore.AllFrom
		limit int
		want  []eventstore.EventData
	}{
		{"from start, system streams left out", eventstore.AllStart(), 10, all},
		{"from start, limited", eventstore.AllStart(), 2, first},
		{"strictly after a position", eventstore.AllAfter(mark.Position), 10, third},
		{"from end", eventstore.AllEnd(), 10, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// When $all is read, then the wanted events come back in append order.
			got, err := store.ReadAll(ctx, tc.from, tc.limit)
			if err != nil {
				t.Fatalf("read $all: %v", err)
			}
			requireIDs(t, tc.name, got, tc.want)
			for i := 1; i < len(got); i++ {
				if got[i].Position.Compare(got[i-1].Position) <= 0 {
					t.Fatalf("position %s does not follow %s", got[i].Position, got[i-1].Position)
				}
			}
		})
	}
}
