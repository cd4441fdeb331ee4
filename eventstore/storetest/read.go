package storetest

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// clockSkew is how far a store's clock (a database server's, say) may drift from the test's.
const clockSkew = time.Minute

// testReadStream covers stream read bounds in both directions, missing streams and field round-trips.
func testReadStream(t *testing.T, b Backend) {
	cases := []struct {
		name          string
		direction     eventstore.Direction
		from          eventstore.StreamFrom
		limit         int
		wantRevisions []uint64
	}{
		{"forwards from start", eventstore.Forwards, eventstore.StreamStart(), 10, []uint64{0, 1, 2, 3, 4}},
		{"forwards from start with limit", eventstore.Forwards, eventstore.StreamStart(), 2, []uint64{0, 1}},
		{"forwards from revision is inclusive", eventstore.Forwards, eventstore.StreamRevision(2), 2, []uint64{2, 3}},
		{"forwards from last revision", eventstore.Forwards, eventstore.StreamRevision(4), 10, []uint64{4}},
		{"forwards past the end is empty", eventstore.Forwards, eventstore.StreamRevision(5), 10, nil},
		{"forwards far past the end is empty", eventstore.Forwards, eventstore.StreamRevision(1000), 10, nil},
		{"forwards from end is empty", eventstore.Forwards, eventstore.StreamEnd(), 10, nil},
		{"backwards from end", eventstore.Backwards, eventstore.StreamEnd(), 10, []uint64{4, 3, 2, 1, 0}},
		{"backwards from end with limit 1", eventstore.Backwards, eventstore.StreamEnd(), 1, []uint64{4}},
		{"backwards from revision is inclusive", eventstore.Backwards, eventstore.StreamRevision(2), 10, []uint64{2, 1, 0}},
		{"backwards from revision with limit", eventstore.Backwards, eventstore.StreamRevision(3), 2, []uint64{3, 2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, b)
			// Given a stream of five events, appended in two batches, next to another stream.
			stream := f.stream("read")
			events := newEvents(5)
			f.append(stream, eventstore.NoStream(), events[:2]...)
			f.append(f.stream("other"), eventstore.NoStream(), newEvents(2)...)
			f.append(stream, eventstore.Exact(1), events[2:]...)
			// When it is read, then exactly the bounded revisions come back, in the direction's order.
			got := f.readStream(stream, tc.direction, tc.from, tc.limit)
			requireRevisions(t, "read", got, tc.wantRevisions...)
			want := make([]eventstore.EventData, len(tc.wantRevisions))
			for i, r := range tc.wantRevisions {
				want[i] = events[r]
			}
			requireIDs(t, "read", got, IDs(want))
		})
	}
	for _, direction := range []eventstore.Direction{eventstore.Forwards, eventstore.Backwards} {
		t.Run("missing stream is not found "+directionName(direction), func(t *testing.T) {
			f := newFixture(t, b)
			// Given a stream that was never written, when it is read, then ErrStreamNotFound.
			got, err := f.store.ReadStream(f.ctx, f.stream("missing"), direction, eventstore.StreamStart(), 10)
			if !errors.Is(err, eventstore.ErrStreamNotFound) {
				t.Fatalf("got %d events and error %v, want ErrStreamNotFound", len(got), err)
			}
		})
	}
	t.Run("a limit below one is refused", func(t *testing.T) {
		f := newFixture(t, b)
		// Given an existing stream, when it or $all is read with a zero limit, then both reads fail: a zero
		// limit is a caller's bug, not a request for nothing.
		stream := f.stream("limit")
		f.append(stream, eventstore.NoStream(), newEvents(1)...)
		if got, err := f.store.ReadStream(f.ctx, stream, eventstore.Forwards, eventstore.StreamStart(), 0); err == nil {
			t.Fatalf("ReadStream with limit 0 returned %d events and no error", len(got))
		}
		if got, err := f.store.ReadAll(f.ctx, eventstore.AllStart(), 0); err == nil {
			t.Fatalf("ReadAll with limit 0 returned %d events and no error", len(got))
		}
	})
	t.Run("recorded fields round-trip", func(t *testing.T) {
		f := newFixture(t, b)
		// Given two events, the second without metadata.
		stream := f.stream("fields")
		events := newEvents(2)
		events[1].Metadata = nil
		before := time.Now()
		res := f.append(stream, eventstore.NoStream(), events...)
		after := time.Now()
		// When they are read back, then every field is as written.
		got := f.readStream(stream, eventstore.Forwards, eventstore.StreamStart(), 10)
		requireIDs(t, "read", got, IDs(events))
		for i, e := range got {
			if e.StreamID != stream || e.Revision != uint64(i) || e.Type != events[i].Type {
				t.Fatalf("event %d reads back as stream %q revision %d type %q, want %q %d %q",
					i, e.StreamID, e.Revision, e.Type, stream, i, events[i].Type)
			}
			requireSameJSON(t, "data", e.Data, events[i].Data)
			if e.Created.Before(before.Add(-clockSkew)) || e.Created.After(after.Add(clockSkew)) {
				t.Fatalf("event %d created at %s, want close to %s", i, e.Created, before)
			}
		}
		requireSameJSON(t, "metadata", got[0].Metadata, events[0].Metadata)
		if len(got[1].Metadata) != 0 {
			t.Fatalf("event written without metadata reads back with %q", got[1].Metadata)
		}
		if got[1].Position.Compare(res.Position) != 0 {
			t.Fatalf("last event reads back at %s, append returned %s", got[1].Position, res.Position)
		}
	})
}

// requireSameJSON fails unless two JSON documents are equal, ignoring formatting a store may normalise.
func requireSameJSON(t *testing.T, what string, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s reads back as invalid JSON %q: %v", what, got, err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("%s written as invalid JSON %q: %v", what, want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("%s reads back as %s, want %s", what, got, want)
	}
}

// directionName names a direction in subtest names.
func directionName(d eventstore.Direction) string {
	if d == eventstore.Backwards {
		return "backwards"
	}
	return "forwards"
}
