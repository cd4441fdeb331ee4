package storetest

import (
	"fmt"
	"sort"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// ledger is the writers' account of every committed event: what the store must deliver, exactly once.
type ledger struct {
	mu       sync.Mutex
	placed   map[uuid.UUID]placement           // every committed event → where its append said it landed
	returned map[uuid.UUID]eventstore.Position // last event of each append → the position Append returned
	streams  map[string]int                    // stream → number of committed events
}

// placement is where an event sits in its stream.
type placement struct {
	stream   string
	revision uint64
}

func newLedger() *ledger {
	return &ledger{placed: map[uuid.UUID]placement{}, returned: map[uuid.UUID]eventstore.Position{}, streams: map[string]int{}}
}

// record books an append that succeeded: its events end at res.NextRevision.
func (l *ledger) record(stream string, events []eventstore.EventData, res eventstore.AppendResult) {
	l.mu.Lock()
	defer l.mu.Unlock()
	first := res.NextRevision + 1 - uint64(len(events))
	for i, e := range events {
		l.placed[e.ID] = placement{stream: stream, revision: first + uint64(i)}
	}
	l.returned[events[len(events)-1].ID] = res.Position
	l.streams[stream] += len(events)
}

// committed returns the ids of the events committed so far.
func (l *ledger) committed() map[uuid.UUID]bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	ids := make(map[uuid.UUID]bool, len(l.placed))
	for id := range l.placed {
		ids[id] = true
	}
	return ids
}

// requireDelivered fails unless delivered holds every committed event exactly once, in strictly increasing
// position order, each where its append placed it, with every stream's revisions in order and gapless.
// Call it once the writers are done.
func (l *ledger) requireDelivered(t *testing.T, delivered []eventstore.RecordedEvent) {
	t.Helper()
	seen := make(map[uuid.UUID]bool, len(delivered))
	nextRevision := map[string]uint64{}
	for i, e := range delivered {
		place, ok := l.placed[e.ID]
		switch {
		case seen[e.ID]:
			t.Fatalf("event %s of %s delivered twice (second time as delivery %d)", e.ID, e.StreamID, i)
		case !ok:
			t.Fatalf("delivery %d is event %s of %s, which no writer committed", i, e.ID, e.StreamID)
		case i > 0 && e.Position.Compare(delivered[i-1].Position) <= 0:
			t.Fatalf("delivery %d at %s does not come after delivery %d at %s", i, e.Position, i-1, delivered[i-1].Position)
		case e.StreamID != place.stream || e.Revision != place.revision:
			t.Fatalf("event %s delivered as %s@%d, its append placed it at %s@%d", e.ID, e.StreamID, e.Revision, place.stream, place.revision)
		case e.Revision != nextRevision[e.StreamID]:
			t.Fatalf("stream %s: delivered revision %d where %d was next", e.StreamID, e.Revision, nextRevision[e.StreamID])
		}
		if p, ok := l.returned[e.ID]; ok && p.Compare(e.Position) != 0 {
			t.Fatalf("event %s delivered at %s, its append returned %s", e.ID, e.Position, p)
		}
		seen[e.ID] = true
		nextRevision[e.StreamID]++
	}
	if len(seen) != len(l.placed) {
		t.Fatalf("subscription delivered %d events, writers committed %d; missing: %v", len(seen), len(l.placed), l.missing(seen))
	}
}

// missing lists, sorted, up to ten committed events a delivery lacks.
func (l *ledger) missing(seen map[uuid.UUID]bool) []string {
	var out []string
	for id, place := range l.placed {
		if !seen[id] {
			out = append(out, fmt.Sprintf("%s@%d", place.stream, place.revision))
		}
	}
	sort.Strings(out)
	return out[:min(len(out), 10)]
}

// requireStreams fails unless every stream reads back with exactly its committed events, revisions gapless.
func (l *ledger) requireStreams(f *fixture) {
	f.t.Helper()
	for stream, n := range l.streams {
		got := f.readStream(stream, eventstore.Forwards, eventstore.StreamStart(), n+10)
		if len(got) != n {
			f.t.Fatalf("stream %s holds %d events, writers committed %d", stream, len(got), n)
		}
		for i, e := range got {
			if place := l.placed[e.ID]; e.Revision != uint64(i) || place != (placement{stream, e.Revision}) {
				f.t.Fatalf("stream %s: event %d is %s at revision %d, its append placed it at %s@%d",
					stream, i, e.ID, e.Revision, place.stream, place.revision)
			}
		}
	}
}
