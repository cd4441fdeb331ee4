package storetest

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// testIdempotency covers retried appends: the same ids at the same place succeed once, overlaps are refused.
func testIdempotency(t *testing.T, b Backend) {
	retries := []struct {
		name     string
		prior    int // events in the stream before the original append
		expected func() eventstore.ExpectedRevision
		after    int // events appended after the original, before the retry
	}{
		{name: "no stream", prior: 0, expected: eventstore.NoStream},
		{name: "exact revision", prior: 1, expected: func() eventstore.ExpectedRevision { return eventstore.Exact(0) }},
		{name: "any on a new stream", prior: 0, expected: eventstore.Any},
		{name: "any on an existing stream", prior: 2, expected: eventstore.Any},
		{name: "no stream after the stream moved on", prior: 0, expected: eventstore.NoStream, after: 1},
		{name: "exact revision after the stream moved on", prior: 1, expected: func() eventstore.ExpectedRevision { return eventstore.Exact(0) }, after: 2},
	}
	for _, tc := range retries {
		t.Run("retry with "+tc.name+" returns the original result", func(t *testing.T) {
			f := newFixture(t, b)
			stream := f.stream("retried")
			start := f.mark()
			// Given a stream with prior events, a two-event append, and possibly later events.
			prior, batch, after := newEvents(tc.prior), newEvents(2), newEvents(tc.after)
			if tc.prior > 0 {
				f.append(stream, eventstore.NoStream(), prior...)
			}
			original := f.append(stream, tc.expected(), batch...)
			if tc.after > 0 {
				f.append(stream, eventstore.Exact(original.NextRevision), after...)
			}
			// When the same events are appended again with the same expected revision.
			retried := f.append(stream, tc.expected(), batch...)
			// Then the retry reports the original result and nothing is written twice.
			if retried.NextRevision != original.NextRevision || retried.Position.Compare(original.Position) != 0 {
				t.Fatalf("retry returned revision %d at %s, the original append %d at %s",
					retried.NextRevision, retried.Position, original.NextRevision, original.Position)
			}
			all := concat(prior, batch, after)
			requireStreamHolds(f, stream, all)
			f.requireOwnAfter(start, all, 100)
		})
	}
	overlaps := []struct {
		name     string
		expected eventstore.ExpectedRevision
		// original is appended after a one-event stream head when expected is Exact(0), else to a new stream.
		original, retry []int // indexes into the case's events
	}{
		{name: "no stream with a new second event", expected: eventstore.NoStream(), original: []int{0, 1}, retry: []int{0, 2}},
		{name: "no stream extending the original", expected: eventstore.NoStream(), original: []int{0, 1}, retry: []int{0, 1, 2}},
		{name: "exact revision with a new second event", expected: eventstore.Exact(0), original: []int{0, 1}, retry: []int{0, 2}},
	}
	for _, tc := range overlaps {
		t.Run("partial overlap with "+tc.name+" is refused", func(t *testing.T) {
			f := newFixture(t, b)
			stream := f.stream("overlap")
			// Given an original append.
			head, events := newEvents(1), newEvents(3)
			var written []eventstore.EventData
			if _, exact := tc.expected.Exact(); exact {
				f.append(stream, eventstore.NoStream(), head...)
				written = head
			}
			written = append(written, pick(events, tc.original)...)
			f.append(stream, tc.expected, pick(events, tc.original)...)
			// When a retry shares only some of its ids, then it fails and the stream is unchanged.
			if res, err := f.store.Append(f.ctx, stream, tc.expected, pick(events, tc.retry)...); err == nil {
				t.Fatalf("partially overlapping retry succeeded with revision %d at %s", res.NextRevision, res.Position)
			}
			requireStreamHolds(f, stream, written)
		})
	}
}

// pick returns the events at the given indexes.
func pick(events []eventstore.EventData, indexes []int) []eventstore.EventData {
	picked := make([]eventstore.EventData, len(indexes))
	for i, k := range indexes {
		picked[i] = events[k]
	}
	return picked
}
