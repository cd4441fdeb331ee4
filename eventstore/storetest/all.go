package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// pollInterval is how long a reader waits before asking again for events a store has committed but may not
// show yet (a PostgreSQL store holds back events behind an append still in flight).
const pollInterval = 10 * time.Millisecond

// testReadAll covers the global order: append order, exclusive starts, the end, paging and positions.
func testReadAll(t *testing.T, b Backend) {
	t.Run("order equals append order and positions match", func(t *testing.T) {
		f := newFixture(t, b)
		// Given sequential appends of one or two events spread over three streams.
		start := f.mark()
		var written []eventstore.EventData
		appended := map[string]eventstore.Position{} // last event id of each append → returned position
		for i := range 8 {
			events := newEvents(1 + i%2)
			res := f.append(f.stream(fmt.Sprint("s", i%3)), eventstore.Any(), events...)
			appended[events[len(events)-1].ID.String()] = res.Position
			written = append(written, events...)
		}
		// When $all is read after the start, then the case's events come back in append order at the
		// positions the appends returned.
		got := f.requireOwnAfter(start, written, 100)
		for _, e := range got {
			if p, ok := appended[e.ID.String()]; ok && p.Compare(e.Position) != 0 {
				t.Fatalf("event %s reads back at %s, its append returned %s", e.ID, e.Position, p)
			}
		}
	})
	t.Run("after a position is exclusive", func(t *testing.T) {
		f := newFixture(t, b)
		// Given four single-event appends.
		events := newEvents(4)
		var second eventstore.Position
		for i, e := range events {
			res := f.append(f.stream("exclusive"), eventstore.Any(), e)
			if i == 1 {
				second = res.Position
			}
		}
		// When $all is read after the second one's position, then it starts with the third.
		f.requireOwnAfter(second, events[2:], 100)
	})
	t.Run("from the end is empty", func(t *testing.T) {
		f := newFixture(t, b)
		// Given the case's own event in the store, when $all is read from the end, then nothing comes back.
		f.mark()
		got, err := f.store.ReadAll(f.ctx, eventstore.AllEnd(), 10)
		if err != nil || len(got) != 0 {
			t.Fatalf("read from the end: got %d events and error %v, want none", len(got), err)
		}
	})
	t.Run("from the start begins at or before every later event", func(t *testing.T) {
		f := newFixture(t, b)
		// Given the case's own event, when one event is read from the start, then it is not after it.
		mark := f.mark()
		got, err := f.store.ReadAll(f.ctx, eventstore.AllStart(), 1)
		for ; err == nil && len(got) == 0; got, err = f.store.ReadAll(f.ctx, eventstore.AllStart(), 1) {
			f.waitOrFail("$all to show an event") // a store may hold events back behind appends in flight
		}
		if err != nil || len(got) != 1 {
			t.Fatalf("read one from the start: got %d events and error %v, want one", len(got), err)
		}
		if got[0].Position.Compare(mark) > 0 {
			t.Fatalf("first event of $all at %s is after an event already written at %s", got[0].Position, mark)
		}
	})
	for _, pageSize := range []int{1, 2, 3} {
		t.Run(fmt.Sprint("paging by ", pageSize, " continues exactly"), func(t *testing.T) {
			f := newFixture(t, b)
			// Given seven events in batches of various sizes.
			start := f.mark()
			written := concat(newEvents(3), newEvents(1), newEvents(2), newEvents(1))
			f.append(f.stream("a"), eventstore.NoStream(), written[:3]...)
			f.append(f.stream("b"), eventstore.NoStream(), written[3:4]...)
			f.append(f.stream("a"), eventstore.Exact(2), written[4:6]...)
			f.append(f.stream("b"), eventstore.Exact(0), written[6:]...)
			// When $all is read page by page, each after the last position seen, then no event is
			// skipped or repeated.
			f.requireOwnAfter(start, written, pageSize)
		})
	}
}

// requireOwnAfter fails unless $all after from holds exactly want among the case's events, in order, and
// returns them. It first appends a sentinel event and reads up to it, so an extra (duplicate) event written
// before the check cannot hide past the point where reading stopped.
func (f *fixture) requireOwnAfter(from eventstore.Position, want []eventstore.EventData, pageSize int) []eventstore.RecordedEvent {
	f.t.Helper()
	sentinel := newEvents(1)
	f.append(f.stream("sentinel"), eventstore.Any(), sentinel...)
	got := f.readOwnAfter(from, len(want)+1, pageSize)
	requireIDs(f.t, "$all after "+from.String(), got, IDs(concat(want, sentinel)))
	return got[:len(want)]
}

// readOwnAfter pages through $all strictly after from, pageSize events at a time, until want events of the
// case's streams arrived, and returns those. It fails when a page is oversized, positions do not increase
// across pages, a system event shows up, or the events never arrive before the case's deadline.
func (f *fixture) readOwnAfter(from eventstore.Position, want, pageSize int) []eventstore.RecordedEvent {
	f.t.Helper()
	var own []eventstore.RecordedEvent
	last := from
	for len(own) < want {
		page, err := f.store.ReadAll(f.ctx, eventstore.AllAfter(last), pageSize)
		if err != nil {
			f.t.Fatalf("read $all after %s: %v (got %d of %d events so far)", last, err, len(own), want)
		}
		if len(page) > pageSize {
			f.t.Fatalf("read $all with limit %d returned %d events", pageSize, len(page))
		}
		if len(page) == 0 {
			f.waitOrFail(fmt.Sprintf("$all after %s: got %d of %d events", last, len(own), want))
		}
		for _, e := range page {
			if eventstore.IsSystemStream(e.StreamID) {
				f.t.Fatalf("$all returned system event %s of stream %s", e.ID, e.StreamID)
			}
			if e.Position.Compare(last) <= 0 {
				f.t.Fatalf("$all after %s returned event %s at %s", last, e.ID, e.Position)
			}
			last = e.Position
			if strings.HasPrefix(e.StreamID, f.prefix) {
				own = append(own, e)
			}
		}
	}
	return own
}

// waitOrFail sleeps one poll interval, or fails the case with what it was waiting for once its deadline passed.
func (f *fixture) waitOrFail(waitingFor string) {
	f.t.Helper()
	select {
	case <-f.ctx.Done():
		f.t.Fatalf("gave up waiting: %s", waitingFor)
	case <-time.After(pollInterval):
	}
}
