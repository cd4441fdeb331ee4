package postgres

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func revisionPtr(r uint64) *uint64 { return &r }

// requireWrongExpected fails unless err is a *WrongExpectedVersionError carrying the wanted actual revision.
func requireWrongExpected(t *testing.T, err error, wantActual *uint64) {
	t.Helper()
	var wrong *eventstore.WrongExpectedVersionError
	if !errors.As(err, &wrong) {
		t.Fatalf("got error %v, want *WrongExpectedVersionError", err)
	}
	if (wrong.Actual == nil) != (wantActual == nil) || (wantActual != nil && *wrong.Actual != *wantActual) {
		t.Fatalf("got %v, want actual %v", wrong, wantActual)
	}
}

func TestAppendExpectedRevision(t *testing.T) {
	t.Parallel()
	store, ctx := newTestStore(t)
	cases := []struct {
		name       string
		existing   int
		expected   eventstore.ExpectedRevision
		wantWrong  bool
		wantActual *uint64
	}{
		{name: "any, missing stream", expected: eventstore.Any()},
		{name: "any, existing stream", existing: 2, expected: eventstore.Any()},
		{name: "no stream, missing stream", expected: eventstore.NoStream()},
		{name: "no stream, existing stream", existing: 2, expected: eventstore.NoStream(), wantWrong: true, wantActual: revisionPtr(1)},
		{name: "stream exists, missing stream", expected: eventstore.StreamExists(), wantWrong: true},
		{name: "stream exists, existing stream", existing: 2, expected: eventstore.StreamExists()},
		{name: "exact, missing stream", expected: eventstore.Exact(0), wantWrong: true},
		{name: "exact, matching", existing: 2, expected: eventstore.Exact(1)},
		{name: "exact, behind", existing: 2, expected: eventstore.Exact(0), wantWrong: true, wantActual: revisionPtr(1)},
		{name: "exact, ahead", existing: 2, expected: eventstore.Exact(7), wantWrong: true, wantActual: revisionPtr(1)},
		{name: "exact, beyond 32 bits", existing: 2, expected: eventstore.Exact(1 << 31), wantWrong: true, wantActual: revisionPtr(1)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			stream := "order-" + uuid.NewString()
			// Given a stream with tc.existing events (none: the stream does not exist).
			if tc.existing > 0 {
				mustAppend(t, ctx, store, stream, eventstore.NoStream(), newEvents(tc.existing)...)
			}
			// When two events are appended with the expected revision.
			res, err := store.Append(ctx, stream, tc.expected, newEvents(2)...)
			// Then the append fails with the stream's actual revision, or lands at the end of the stream.
			if tc.wantWrong {
				requireWrongExpected(t, err, tc.wantActual)
				if !errors.Is(err, eventstore.ErrWrongExpectedVersion) {
					t.Fatalf("errors.Is(%v, ErrWrongExpectedVersion) = false", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("append: %v", err)
			}
			if want := uint64(tc.existing + 1); res.NextRevision != want {
				t.Fatalf("NextRevision = %d, want %d", res.NextRevision, want)
			}
			last, err := store.ReadStream(ctx, stream, eventstore.Backwards, eventstore.StreamEnd(), 1)
			if err != nil {
				t.Fatalf("read back: %v", err)
			}
			if last[0].Position != res.Position || last[0].Revision != res.NextRevision {
				t.Fatalf("last event at %s rev %d, append returned %s rev %d", last[0].Position, last[0].Revision, res.Position, res.NextRevision)
			}
		})
	}
}

func TestAppendIdempotentRetry(t *testing.T) {
	t.Parallel()
	store, ctx := newTestStore(t)
	cases := []struct {
		name      string
		retry     func(stream string, batch []eventstore.EventData) (eventstore.ExpectedRevision, string, []eventstore.EventData)
		wantWrong bool
		// wantActual is the target stream's revision a wrong expected version reports; the original stream
		// holds three events (revision 2), a fresh stream none.
		wantActual *uint64
	}{
		{name: "same batch, same expected", retry: func(s string, b []eventstore.EventData) (eventstore.ExpectedRevision, string, []eventstore.EventData) {
			return eventstore.Exact(0), s, b
		}},
		{name: "same batch, any", retry: func(s string, b []eventstore.EventData) (eventstore.ExpectedRevision, string, []eventstore.EventData) {
			return eventstore.Any(), s, b
		}},
		{name: "same batch, stream exists", retry: func(s string, b []eventstore.EventData) (eventstore.ExpectedRevision, string, []eventstore.EventData) {
			return eventstore.StreamExists(), s, b
		}},
		{name: "same batch, other expected revision", wantWrong: true, wantActual: revisionPtr(2), retry: func(s string, b []eventstore.EventData) (eventstore.ExpectedRevision, string, []eventstore.EventData) {
			return eventstore.NoStream(), s, b
		}},
		{name: "part of the batch", wantWrong: true, wantActual: revisionPtr(2), retry: func(s string, b []eventstore.EventData) (eventstore.ExpectedRevision, string, []eventstore.EventData) {
			return eventstore.Exact(0), s, b[1:]
		}},
		{name: "batch plus a new event", wantWrong: true, wantActual: revisionPtr(2), retry: func(s string, b []eventstore.EventData) (eventstore.ExpectedRevision, string, []eventstore.EventData) {
			return eventstore.Exact(0), s, append(b[:2:2], newEvents(1)...)
		}},
		{name: "batch reordered", wantWrong: true, wantActual: revisionPtr(2), retry: func(s string, b []eventstore.EventData) (eventstore.ExpectedRevision, string, []eventstore.EventData) {
			return eventstore.Exact(0), s, []eventstore.EventData{b[1], b[0]}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Given a stream whose first event was followed by a batch of two appended at Exact(0).
			stream := "order-" + uuid.NewString()
			mustAppend(t, ctx, store, stream, eventstore.NoStream(), newEvents(1)...)
			batch := newEvents(2)
			original := mustAppend(t, ctx, store, stream, eventstore.Exact(0), batch...)
			// When the batch (or a variation of it) is appended again.
			expected, target, events := tc.retry(stream, batch)
			res, err := store.Append(ctx, target, expected, events...)
			// Then a true retry returns the original result, anything else is a wrong expected version; and
			// the stream still holds its three events exactly once.
			if tc.wantWrong {
				requireWrongExpected(t, err, tc.wantActual)
			} else if err != nil || res != original {
				t.Fatalf("retry = %+v, %v; want the original %+v", res, err, original)
			}
			got, err := store.ReadStream(ctx, stream, eventstore.Forwards, eventstore.StreamStart(), 10)
			if err != nil || len(got) != 3 {
				t.Fatalf("stream holds %d events (%v), want 3", len(got), err)
			}
		})
	}
}

func TestEventIDsAreScopedToTheirStream(t *testing.T) {
	t.Parallel()
	store, ctx := newTestStore(t)
	// Given a batch already written to one stream.
	batch := newEvents(2)
	first := "order-" + uuid.NewString()
	mustAppend(t, ctx, store, first, eventstore.NoStream(), batch...)
	// When the same ids are appended to another stream, then they are new events there, as in EventStoreDB
	// (idempotency is decided per stream), and the first stream is untouched.
	other := "order-" + uuid.NewString()
	res := mustAppend(t, ctx, store, other, eventstore.Any(), batch...)
	if res.NextRevision != 1 {
		t.Fatalf("other stream's next revision = %d, want 1", res.NextRevision)
	}
	for _, stream := range []string{first, other} {
		got, err := store.ReadStream(ctx, stream, eventstore.Forwards, eventstore.StreamStart(), 10)
		if err != nil || len(got) != 2 || got[0].ID != batch[0].ID || got[1].ID != batch[1].ID {
			t.Fatalf("%s holds %+v (%v), want the batch once", stream, got, err)
		}
	}
}

func TestAppendKeepsEventContent(t *testing.T) {
	t.Parallel()
	store, ctx := newTestStore(t)
	// Given events with and without metadata, one without an id.
	events := []eventstore.EventData{
		{ID: uuid.New(), Type: "order.placed", Data: []byte(`{"a":1}`), Metadata: []byte(`{"m":true}`)},
		{ID: uuid.New(), Type: "order.paid", Data: []byte(`{}`)},
		{Type: "order.shipped", Data: []byte(`{"b":"\\x00"}`)},
	}
	// When they are appended and read back.
	mustAppend(t, ctx, store, "order-1", eventstore.NoStream(), events...)
	got, err := store.ReadStream(ctx, "order-1", eventstore.Forwards, eventstore.StreamStart(), 10)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	// Then type, data and metadata (nil stays nil) come back as written, and the id-less event got an id.
	for i, want := range events {
		e := got[i]
		if e.Type != want.Type || !bytes.Equal(e.Data, want.Data) || !bytes.Equal(e.Metadata, want.Metadata) ||
			(want.Metadata == nil) != (e.Metadata == nil) || e.StreamID != "order-1" || e.Revision != uint64(i) || e.Created.IsZero() {
			t.Fatalf("event %d read back as %+v, want %+v", i, e, want)
		}
	}
	if got[2].ID == uuid.Nil {
		t.Fatalf("event without id was stored with the nil id")
	}
}

func TestAppendRejectsRepeatedIDInOneBatch(t *testing.T) {
	t.Parallel()
	store, ctx := newTestStore(t)
	// Given a batch that holds one event twice.
	event := newEvents(1)[0]
	// When it is appended, then the append fails and the stream stays missing.
	if _, err := store.Append(ctx, "order-1", eventstore.Any(), event, event); err == nil {
		t.Fatalf("append with a repeated id succeeded")
	}
	if _, err := store.ReadStream(ctx, "order-1", eventstore.Forwards, eventstore.StreamStart(), 1); !errors.Is(err, eventstore.ErrStreamNotFound) {
		t.Fatalf("read after rejected append: %v, want ErrStreamNotFound", err)
	}
}

func TestAppendOfNoEventsOnlyChecksExpected(t *testing.T) {
	t.Parallel()
	store, ctx := newTestStore(t)
	mustAppend(t, ctx, store, "order-1", eventstore.NoStream(), newEvents(3)...)
	// Given a stream at revision 2, when nothing is appended at the right revision, then its revision comes
	// back and nothing is written; at a wrong revision, a wrong expected version.
	res, err := store.Append(ctx, "order-1", eventstore.Exact(2))
	if err != nil || res.NextRevision != 2 || res.Position != (eventstore.Position{}) {
		t.Fatalf("empty append = %+v, %v; want revision 2 and no position", res, err)
	}
	_, err = store.Append(ctx, "order-1", eventstore.Exact(5))
	requireWrongExpected(t, err, revisionPtr(2))
	// And on a missing stream, an empty append expecting no stream leaves it missing.
	if _, err := store.Append(ctx, "order-2", eventstore.NoStream()); err != nil {
		t.Fatalf("empty append to a missing stream: %v", err)
	}
	if _, err := store.ReadStream(ctx, "order-2", eventstore.Forwards, eventstore.StreamStart(), 1); !errors.Is(err, eventstore.ErrStreamNotFound) {
		t.Fatalf("after empty append: %v, want ErrStreamNotFound", err)
	}
}
