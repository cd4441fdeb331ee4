package storetest

import (
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// revision returns a pointer to r, for tables that tell "no stream" (nil) from a revision.
func revision(r uint64) *uint64 { return &r }

// testAppend covers every expected-revision condition on a missing and on an existing stream.
func testAppend(t *testing.T, b Backend) {
	cases := []struct {
		name     string
		existing int // events in the stream before the append; 0 means the stream does not exist
		expected eventstore.ExpectedRevision
		// wantWEV tells the append must fail with a *WrongExpectedVersionError whose Actual is wantActual.
		wantWEV    bool
		wantActual *uint64
	}{
		{name: "any on missing stream", existing: 0, expected: eventstore.Any()},
		{name: "any on existing stream", existing: 2, expected: eventstore.Any()},
		{name: "no stream on missing stream", existing: 0, expected: eventstore.NoStream()},
		{name: "no stream on existing stream", existing: 2, expected: eventstore.NoStream(), wantWEV: true, wantActual: revision(1)},
		{name: "stream exists on missing stream", existing: 0, expected: eventstore.StreamExists(), wantWEV: true},
		{name: "stream exists on existing stream", existing: 2, expected: eventstore.StreamExists()},
		{name: "exact on missing stream", existing: 0, expected: eventstore.Exact(0), wantWEV: true},
		{name: "exact matching last revision", existing: 2, expected: eventstore.Exact(1)},
		{name: "exact behind last revision", existing: 2, expected: eventstore.Exact(0), wantWEV: true, wantActual: revision(1)},
		{name: "exact ahead of last revision", existing: 2, expected: eventstore.Exact(5), wantWEV: true, wantActual: revision(1)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, b)
			stream := f.stream("append")
			// Given a stream holding tc.existing events (or none at all).
			before := newEvents(tc.existing)
			if tc.existing > 0 {
				f.append(stream, eventstore.NoStream(), before...)
			}
			// When three events are appended at once with the expected revision.
			added := newEvents(3)
			res, err := f.store.Append(f.ctx, stream, tc.expected, added...)
			// Then the append either fails without writing anything or lands all three events at the end.
			if tc.wantWEV {
				requireWrongExpectedVersion(t, err, stream, tc.expected, tc.wantActual)
				requireStreamHolds(f, stream, before)
				return
			}
			if err != nil {
				t.Fatalf("append expecting %s: %v", tc.expected, err)
			}
			if want := uint64(tc.existing + len(added) - 1); res.NextRevision != want {
				t.Fatalf("NextRevision = %d, want %d", res.NextRevision, want)
			}
			got := requireStreamHolds(f, stream, concat(before, added))
			if last := got[len(got)-1].Position; last.Compare(res.Position) != 0 {
				t.Fatalf("append returned position %s, the last event reads back at %s", res.Position, last)
			}
		})
	}
	t.Run("positions increase across appends", func(t *testing.T) {
		f := newFixture(t, b)
		// Given appends alternating between two streams.
		var previous *eventstore.Position
		for i := range 6 {
			stream := f.stream("left")
			if i%2 == 1 {
				stream = f.stream("right")
			}
			// When each append returns, then its position is after every earlier append's.
			res := f.append(stream, eventstore.Any(), newEvents(1+i%2)...)
			if previous != nil && res.Position.Compare(*previous) <= 0 {
				t.Fatalf("append %d landed at %s, not after the previous append at %s", i, res.Position, previous)
			}
			previous = &res.Position
		}
	})
}

// requireWrongExpectedVersion fails unless err is a *WrongExpectedVersionError describing the refused append.
func requireWrongExpectedVersion(t *testing.T, err error, stream string, expected eventstore.ExpectedRevision, actual *uint64) {
	t.Helper()
	if !errors.Is(err, eventstore.ErrWrongExpectedVersion) {
		t.Fatalf("append expecting %s: got error %v, want ErrWrongExpectedVersion", expected, err)
	}
	var wev *eventstore.WrongExpectedVersionError
	if !errors.As(err, &wev) {
		t.Fatalf("error %v matches ErrWrongExpectedVersion but is not a *WrongExpectedVersionError", err)
	}
	if wev.Stream != stream || wev.Expected != expected {
		t.Fatalf("error names stream %q expecting %s, want %q expecting %s", wev.Stream, wev.Expected, stream, expected)
	}
	switch {
	case actual == nil && wev.Actual != nil:
		t.Fatalf("error reports actual revision %d, want no stream", *wev.Actual)
	case actual != nil && wev.Actual == nil:
		t.Fatalf("error reports no stream, want actual revision %d", *actual)
	case actual != nil && *wev.Actual != *actual:
		t.Fatalf("error reports actual revision %d, want %d", *wev.Actual, *actual)
	}
}

// requireStreamHolds fails unless the stream holds exactly want, in order, with gapless revisions from 0 and
// increasing positions; want empty means the stream must not exist. It returns what it read.
func requireStreamHolds(f *fixture, stream string, want []eventstore.EventData) []eventstore.RecordedEvent {
	f.t.Helper()
	got, err := f.store.ReadStream(f.ctx, stream, eventstore.Forwards, eventstore.StreamStart(), len(want)+10)
	if len(want) == 0 {
		if !errors.Is(err, eventstore.ErrStreamNotFound) {
			f.t.Fatalf("stream %s: got %d events and error %v, want ErrStreamNotFound", stream, len(got), err)
		}
		return nil
	}
	if err != nil {
		f.t.Fatalf("read stream %s: %v", stream, err)
	}
	requireIDs(f.t, "stream "+stream, got, IDs(want))
	for i, e := range got {
		if e.Revision != uint64(i) {
			f.t.Fatalf("stream %s: event %d has revision %d", stream, i, e.Revision)
		}
		if i > 0 && e.Position.Compare(got[i-1].Position) <= 0 {
			f.t.Fatalf("stream %s: event %d at %s is not after event %d at %s", stream, i, e.Position, i-1, got[i-1].Position)
		}
	}
	return got
}
