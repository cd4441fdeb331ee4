package storetest

import (
	"errors"
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// multiRaceRounds is how many times two multi-stream appends race over the same two streams.
const multiRaceRounds = 20

// testAppendMultiOppositeOrders races two multi-stream appends naming the same two streams in opposite
// orders, each expecting the revisions both streams hold: one lands and the other loses on an expected
// revision, never with a deadlock or another opaque error, and every stream grows by the winner's event
// alone (all or nothing on a MultiAppender).
func testAppendMultiOppositeOrders(t *testing.T, b Backend) {
	f := newFixture(t, b)
	left, right := f.stream("left"), f.stream("right")
	f.seed(left, 1)
	f.seed(right, 1)
	_, atomic := f.store.(eventstore.MultiAppender)
	for round := range uint64(multiRaceRounds) {
		// Given both streams at revision round
		at := eventstore.Exact(round)
		forward := []eventstore.StreamAppend{{Stream: left, Expected: at, Events: newEvents(1)},
			{Stream: right, Expected: at, Events: newEvents(1)}}
		backward := []eventstore.StreamAppend{{Stream: right, Expected: at, Events: newEvents(1)},
			{Stream: left, Expected: at, Events: newEvents(1)}}
		// When both append at once
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, appends := range [][]eventstore.StreamAppend{forward, backward} {
			wg.Go(func() { _, errs[i] = eventstore.AppendMulti(f.ctx, f.store, appends) })
		}
		wg.Wait()
		// Then each either landed or lost on an expected revision
		for i, err := range errs {
			if err != nil && !errors.Is(err, eventstore.ErrWrongExpectedVersion) {
				t.Fatalf("round %d, append %d failed opaquely: %v", round, i, err)
			}
		}
		if !atomic {
			return // stream by stream, the loser may have written its first stream: nothing more to hold
		}
		// and exactly one landed, both streams moving on by its event
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("round %d: answers %v; want one landed and one refused", round, errs)
		}
		for _, stream := range []string{left, right} {
			last := f.readStream(stream, eventstore.Backwards, eventstore.StreamEnd(), 1)
			if len(last) != 1 || last[0].Revision != round+1 {
				t.Fatalf("round %d: %s ends at %+v; want revision %d", round, stream, last, round+1)
			}
		}
	}
}
