package esdb

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/eventstore/storetest"
)

func TestReadStreamReturnsTheContextError(t *testing.T) {
	t.Parallel()
	everywhere(t, func(t *testing.T, e *env) {
		// Given a stream and a context that already ended.
		stream := e.stream("ended")
		e.append(stream, eventstore.NoStream(), newEvents(1)...)
		ctx, cancel := context.WithCancel(e.ctx)
		cancel()
		// When the stream is read, then the caller gets its context's error, not the client's wording.
		if _, err := e.store.ReadStream(ctx, stream, eventstore.Forwards, eventstore.StreamStart(), 10); !errors.Is(err, context.Canceled) {
			t.Fatalf("read error = %v, want context.Canceled", err)
		}
	})
}

func TestReadAllIsExclusiveAndSkipsSystemStreams(t *testing.T) {
	t.Parallel()
	everywhere(t, func(t *testing.T, e *env) {
		// Given a marker event, then three system events, then two events of ours.
		marker := e.append(e.stream("marker"), eventstore.Any(), newEvents(1)...)
		e.appendSystemEvents(3)
		ours := newEvents(2)
		e.append(e.stream("ours"), eventstore.Any(), ours...)

		for _, limit := range []int{1, 2, 100} {
			// When $all is read after the marker with a small or a large limit.
			read, err := e.store.ReadAll(e.ctx, eventstore.AllAfter(marker.Position), limit)
			if err != nil {
				t.Fatalf("read $all after %s: %v", marker.Position, err)
			}
			// Then neither the marker nor any system event is returned, and pages go on past the system
			// events until the limit is reached.
			if len(read) == 0 || len(read) > limit {
				t.Fatalf("limit %d: read %d events", limit, len(read))
			}
			for _, event := range read {
				if event.Position.Compare(marker.Position) <= 0 || eventstore.IsSystemStream(event.StreamID) {
					t.Fatalf("limit %d: returned %s at %s (marker at %s)", limit, event.StreamID, event.Position, marker.Position)
				}
			}
			// And our events come in order: on the test server nothing else, on a shared node possibly
			// interleaved with other writers' events, all of ours once the log's end was reached.
			got := ownIDs(e, read)
			want := storetest.IDs(ours)
			switch {
			case e.server != nil && !slices.Equal(storetest.RecordedIDs(read), want[:min(limit, len(want))]):
				t.Errorf("limit %d: read %v, want %v", limit, storetest.RecordedIDs(read), want[:min(limit, len(want))])
			case !slices.Equal(got, want[:len(got)]):
				t.Errorf("limit %d: our events %v, want a prefix of %v", limit, got, want)
			case len(read) < limit && len(got) != len(want):
				t.Errorf("limit %d: the log ended after %d of our %d events", limit, len(got), len(want))
			}
		}
	})
}

// ownIDs keeps the ids of the events written under the test's prefix, in order.
func ownIDs(e *env, events []eventstore.RecordedEvent) []uuid.UUID {
	var out []uuid.UUID
	for _, event := range events {
		if strings.HasPrefix(event.StreamID, e.prefix) {
			out = append(out, event.ID)
		}
	}
	return out
}
