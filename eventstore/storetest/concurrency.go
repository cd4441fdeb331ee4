package storetest

import (
	"testing"

	"github.com/google/uuid"
	"golang.org/x/sync/errgroup"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// testConcurrency races eight writers (some holding their writes uncommitted) on own and shared streams
// against a subscriber, and checks the subscriber gets every committed event exactly once, in order.
func testConcurrency(t *testing.T, b Backend) {
	t.Run("live subscriber gets every committed event exactly once in order", func(t *testing.T) {
		f := newFixture(t, b)
		// Given a caught-up subscriber to the case's streams, started before any writer.
		sub := f.subscribe(eventstore.AllEnd(), f.filter())
		sub.requireCaughtUp()
		c := f.startCollector(sub.sub)
		// When eight writers append concurrently.
		book := newLedger()
		f.runWriters(b, book, nil)
		// Then the subscriber delivered exactly what they committed, in position order, and every stream
		// reads back gapless.
		delivered, _ := c.awaitAndStop(f, len(book.placed))
		book.requireDelivered(t, delivered)
		book.requireStreams(f)
	})
	t.Run("subscriber joining mid-run hands over from catch-up to live without gap", func(t *testing.T) {
		f := newFixture(t, b)
		// Given a position before any of the case's events and writers already running.
		start := f.mark()
		book := newLedger()
		var c *collector
		var before map[uuid.UUID]bool
		f.runWriters(b, book, func() {
			// When, with a third of the events committed, a subscriber starts after that position.
			before = book.committed()
			sub := f.subscribe(eventstore.AllAfter(start), f.filter())
			c = f.startCollector(sub.sub)
		})
		// Then it delivered every committed event exactly once, in order, those committed before it started
		// ahead of CaughtUp.
		delivered, caughtUpAt := c.awaitAndStop(f, len(book.placed))
		book.requireDelivered(t, delivered)
		if caughtUpAt < 0 {
			t.Fatal("subscription never sent CaughtUp")
		}
		for _, e := range delivered[caughtUpAt:] {
			if before[e.ID] {
				t.Fatalf("event %s, committed before subscribing, was delivered after CaughtUp", e.ID)
			}
		}
		book.requireStreams(f)
	})
}

// runWriters runs the eight writers to completion, failing the case on any writer error. When midway is
// set it is called once, from the test goroutine, as soon as a third of the expected events are committed.
func (f *fixture) runWriters(b Backend, book *ledger, midway func()) {
	f.t.Helper()
	ws := f.writers(b)
	var g errgroup.Group
	for _, w := range ws {
		g.Go(func() error { return w.run(f.ctx, book) })
	}
	if midway != nil {
		expected := len(ws) * appendsPerWriter * 2 // batches of 1, 2 and 3 events average two
		for len(book.committed()) < expected/3 {
			f.waitOrFail("writers to commit a third of their events")
		}
		midway()
	}
	if err := g.Wait(); err != nil {
		f.t.Fatal(err)
	}
}
