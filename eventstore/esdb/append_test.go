package esdb

import (
	"bytes"
	"errors"
	"slices"
	"testing"
	"time"

	esdbclient "github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/eventstore/storetest"
)

func TestToClientExpectedMapsEveryCondition(t *testing.T) {
	t.Parallel()
	cases := []struct {
		port   eventstore.ExpectedRevision
		client esdbclient.ExpectedRevision
	}{
		{eventstore.Any(), esdbclient.Any{}},
		{eventstore.NoStream(), esdbclient.NoStream{}},
		{eventstore.StreamExists(), esdbclient.StreamExists{}},
		{eventstore.Exact(0), esdbclient.Revision(0)},
		{eventstore.Exact(7), esdbclient.Revision(7)},
	}
	for _, tc := range cases {
		// Given a port condition, when mapped, then the client receives the same condition.
		if got := toClientExpected(tc.port); got != tc.client {
			t.Errorf("toClientExpected(%s) = %#v, want %#v", tc.port, got, tc.client)
		}
	}
}

func TestAppendConflictReportsActualRevision(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		existing   int
		expected   eventstore.ExpectedRevision
		wantActual *uint64
	}{
		{name: "no stream on a stream of two", existing: 2, expected: eventstore.NoStream(), wantActual: ptr(uint64(1))},
		{name: "exact behind", existing: 3, expected: eventstore.Exact(0), wantActual: ptr(uint64(2))},
		{name: "stream exists on a missing stream", existing: 0, expected: eventstore.StreamExists()},
		{name: "exact on a missing stream", existing: 0, expected: eventstore.Exact(4)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			everywhere(t, func(t *testing.T, e *env) {
				// Given a stream holding tc.existing events.
				stream := e.stream("conflict")
				if tc.existing > 0 {
					e.append(stream, eventstore.NoStream(), newEvents(tc.existing)...)
				}
				// When an append expects something else.
				_, err := e.store.Append(e.ctx, stream, tc.expected, newEvents(1)...)
				// Then the error is the port's conflict, with what the stream really holds.
				var wev *eventstore.WrongExpectedVersionError
				if !errors.As(err, &wev) || !errors.Is(err, eventstore.ErrWrongExpectedVersion) {
					t.Fatalf("append error = %v, want *WrongExpectedVersionError", err)
				}
				if wev.Stream != stream || wev.Expected != tc.expected {
					t.Errorf("error names %q expecting %s, want %q expecting %s", wev.Stream, wev.Expected, stream, tc.expected)
				}
				if !equalRevisions(wev.Actual, tc.wantActual) {
					t.Errorf("Actual = %v, want %v", wev.Actual, tc.wantActual)
				}
			})
		})
	}
}

func TestAppendKeepsEventsAndReportsWhereTheyLanded(t *testing.T) {
	t.Parallel()
	everywhere(t, func(t *testing.T, e *env) {
		// Given a new stream.
		stream := e.stream("landed")
		written := newEvents(3)
		// When three events are appended.
		before := time.Now().Add(-time.Minute)
		res := e.append(stream, eventstore.NoStream(), written...)
		// Then the result names the last event's revision and position.
		if res.NextRevision != 2 {
			t.Errorf("NextRevision = %d, want 2", res.NextRevision)
		}
		read, err := e.store.ReadStream(e.ctx, stream, eventstore.Forwards, eventstore.StreamStart(), 10)
		if err != nil {
			t.Fatalf("read back: %v", err)
		}
		if !slices.Equal(storetest.RecordedIDs(read), storetest.IDs(written)) {
			t.Fatalf("read ids %v, want the appended ids %v", storetest.RecordedIDs(read), storetest.IDs(written))
		}
		if got := read[2].Position; got.Compare(res.Position) != 0 {
			t.Errorf("last event at %s, append reported %s", got, res.Position)
		}
		// And every event reads back as written, with its revision and the node's creation time.
		for i, event := range read {
			want := written[i]
			if event.StreamID != stream || event.Revision != uint64(i) || event.Type != want.Type ||
				!bytes.Equal(event.Data, want.Data) || !bytes.Equal(event.Metadata, want.Metadata) {
				t.Errorf("event %d reads back as %+v, want %+v in %s", i, event, want, stream)
			}
			if event.Created.Before(before) || event.Created.After(time.Now().Add(time.Minute)) {
				t.Errorf("event %d created at %s, want about now", i, event.Created)
			}
		}
	})
}

func ptr[T any](v T) *T { return &v }

func equalRevisions(a, b *uint64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
