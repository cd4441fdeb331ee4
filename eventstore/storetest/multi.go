package storetest

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// testAppendMulti covers eventstore.AppendMulti through the store: all-or-nothing on a MultiAppender, one
// append per stream in order (stopping at the first failure) on any other store.
func testAppendMulti(t *testing.T, b Backend) {
	cases := []struct {
		name string
		// leftBefore and rightBefore are the events the two streams hold first (0: no stream).
		leftBefore, rightBefore int
		left, right             eventstore.ExpectedRevision
		// refused names the stream whose expected revision fails ("" for none); wantActual is its revision.
		refused    string
		wantActual *uint64
	}{
		{name: "both streams land", leftBefore: 2, left: eventstore.Exact(1), right: eventstore.NoStream()},
		{name: "any and stream exists land", leftBefore: 1, rightBefore: 3, left: eventstore.Any(), right: eventstore.StreamExists()},
		{name: "the first stream's revision fails", leftBefore: 2, left: eventstore.Exact(0), right: eventstore.NoStream(),
			refused: "left", wantActual: revision(1)},
		{name: "the second stream's revision fails", leftBefore: 2, rightBefore: 1, left: eventstore.Exact(1),
			right: eventstore.NoStream(), refused: "right", wantActual: revision(0)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, b)
			left, right := f.stream("left"), f.stream("right")
			// Given two streams holding their first events (or none)
			leftBefore, rightBefore := f.seed(left, tc.leftBefore), f.seed(right, tc.rightBefore)
			// When two events are appended to the left and one to the right in one call
			leftAdded, rightAdded := newEvents(2), newEvents(1)
			results, err := eventstore.AppendMulti(f.ctx, f.store, []eventstore.StreamAppend{
				{Stream: left, Expected: tc.left, Events: leftAdded},
				{Stream: right, Expected: tc.right, Events: rightAdded}})
			// Then a refused revision names its stream and writes nothing there, nor anywhere on a store that
			// appends all or nothing; a store without the capability keeps the appends before it
			if tc.refused != "" {
				stream, expected := right, tc.right
				if tc.refused == "left" {
					stream, expected = left, tc.left
				}
				requireWrongExpectedVersion(t, err, stream, expected, tc.wantActual)
				_, atomic := f.store.(eventstore.MultiAppender)
				if tc.refused == "right" && !atomic {
					leftBefore = concat(leftBefore, leftAdded)
				}
				requireStreamHolds(f, left, leftBefore)
				requireStreamHolds(f, right, rightBefore)
				return
			}
			// and otherwise both land, each result telling where its stream's last event reads back
			if err != nil {
				t.Fatalf("append to two streams: %v", err)
			}
			requireLanded(f, left, concat(leftBefore, leftAdded), results[0])
			requireLanded(f, right, concat(rightBefore, rightAdded), results[1])
		})
	}
	t.Run("a retry after it landed writes nothing and answers the same", func(t *testing.T) {
		f := newFixture(t, b)
		// Given a two-stream append that landed
		left, right := f.stream("left"), f.stream("right")
		leftBefore := f.seed(left, 1)
		appends := []eventstore.StreamAppend{{Stream: left, Expected: eventstore.Exact(0), Events: newEvents(2)},
			{Stream: right, Expected: eventstore.NoStream(), Events: newEvents(1)}}
		first, err := eventstore.AppendMulti(f.ctx, f.store, appends)
		if err != nil {
			t.Fatal(err)
		}
		// When it is run again (its answer was lost)
		again, err := eventstore.AppendMulti(f.ctx, f.store, appends)
		// Then it succeeds with the first answer, and the streams hold its events once
		if err != nil {
			t.Fatalf("retry: %v", err)
		}
		for i := range first {
			if again[i] != first[i] {
				t.Errorf("retry of %s answered %+v, the append %+v", appends[i].Stream, again[i], first[i])
			}
		}
		requireLanded(f, left, concat(leftBefore, appends[0].Events), first[0])
		requireLanded(f, right, appends[1].Events, first[1])
	})
	t.Run("a stream named twice is refused", func(t *testing.T) {
		f := newFixture(t, b)
		stream := f.stream("twice")
		// When one call appends to the same stream twice
		_, err := eventstore.AppendMulti(f.ctx, f.store, []eventstore.StreamAppend{
			{Stream: stream, Expected: eventstore.NoStream(), Events: newEvents(1)},
			{Stream: stream, Expected: eventstore.Exact(0), Events: newEvents(1)}})
		// Then it is refused and nothing is written
		if err == nil {
			t.Fatal("a multi-stream append naming a stream twice succeeded")
		}
		requireStreamHolds(f, stream, nil)
	})
}

// seed writes n events to a new stream (none for 0) and returns them.
func (f *fixture) seed(stream string, n int) []eventstore.EventData {
	f.t.Helper()
	events := newEvents(n)
	if n > 0 {
		f.append(stream, eventstore.NoStream(), events...)
	}
	return events
}

// requireLanded fails unless the stream holds want and res names its last event's revision and position.
func requireLanded(f *fixture, stream string, want []eventstore.EventData, res eventstore.AppendResult) {
	f.t.Helper()
	got := requireStreamHolds(f, stream, want)
	last := got[len(got)-1]
	if res.NextRevision != last.Revision || res.Position.Compare(last.Position) != 0 {
		f.t.Fatalf("%s: the append answered revision %d at %s; its last event reads back as %d at %s", stream,
			res.NextRevision, res.Position, last.Revision, last.Position)
	}
}
