package billing

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/projections/deadline"
)

// readOf is the context key under which chunkRecorder marks the ctx of each chunk's read ahead; sharedRead
// the one under which it marks the ctx its read of no rows returned.
type (
	readOf     struct{}
	sharedRead struct{}
)

// chunkRecorder records a pipeline's reads ahead and the read each row was billed under.
type chunkRecorder struct {
	mu       sync.Mutex
	chunks   map[int64][]int64 // by the chunk's first row
	billed   map[int64][]int64 // the chunks (by their first row) each row was billed under
	unshared []int64           // the chunks (by their first row) read on another ctx than the shared one
}

func newChunkRecorder() *chunkRecorder {
	return &chunkRecorder{chunks: map[int64][]int64{}, billed: map[int64][]int64{}}
}

func (c *chunkRecorder) readAhead(ahead context.Context, ids []int64) context.Context {
	if len(ids) == 0 {
		return context.WithValue(ahead, sharedRead{}, true)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.chunks[ids[0]] = slices.Clone(ids)
	if ahead.Value(sharedRead{}) == nil {
		c.unshared = append(c.unshared, ids[0])
	}
	return context.WithValue(ahead, readOf{}, ids[0])
}

func (c *chunkRecorder) bill(row aheadRow) {
	c.mu.Lock()
	defer c.mu.Unlock()
	chunk, _ := row.ahead.Value(readOf{}).(int64)
	c.billed[row.due.SubscriptionID] = append(c.billed[row.due.SubscriptionID], chunk)
}

// claimsOf claims batches of the given sizes of rows 1, 2, …, then fails with err (nil: finds nothing).
func claimsOf(sizes []int, err error) func(context.Context) ([]deadline.Due, error) {
	var mu sync.Mutex
	next := int64(1)
	return func(context.Context) ([]deadline.Due, error) {
		mu.Lock()
		defer mu.Unlock()
		if len(sizes) == 0 {
			return nil, err
		}
		batch := make([]deadline.Due, sizes[0])
		for i := range batch {
			batch[i] = deadline.Due{SubscriptionID: next}
			next++
		}
		sizes = sizes[1:]
		return batch, nil
	}
}

func TestAPipelineReadsEveryChunkAheadOnceAndBillsEachRowOnceUnderItsChunksRead(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		batches []int
		workers int
		failure error
		// chunks are the rows each read ahead covers, by the batch's order
		chunks []int
	}{
		{name: "nothing due", batches: nil, workers: 4},
		{name: "fewer rows than a chunk: one read", batches: []int{5}, workers: 4, chunks: []int{5}},
		{name: "a chunk exactly", batches: []int{readAheadRows}, workers: 16, chunks: []int{readAheadRows}},
		{name: "claims cut into chunks, each claim's last one short", batches: []int{2*readAheadRows + 6, 3}, workers: 3,
			chunks: []int{readAheadRows, readAheadRows, 6, 3}},
		{name: "a claim that fails after two: their rows are billed", batches: []int{readAheadRows + 1, 2}, workers: 2,
			failure: errors.New("the deadline table is gone"), chunks: []int{readAheadRows, 1, 2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// Given claims of batches of rows 1, 2, …
			rec := newChunkRecorder()
			p := pipeline{workers: c.workers, claim: claimsOf(c.batches, c.failure), readAhead: rec.readAhead, bill: rec.bill}
			// When the pipeline runs
			err := p.run(t.Context())
			// Then it returns the claim's failure, each chunk was read ahead once, on the ctx shared by the
			// run's reads ahead, and every row was billed once, under its own chunk's read
			if !errors.Is(err, c.failure) {
				t.Errorf("run returned %v; want %v", err, c.failure)
			}
			if len(rec.unshared) > 0 {
				t.Errorf("chunks from rows %v read ahead on a ctx of their own, not the run's shared one", rec.unshared)
			}
			if len(rec.chunks) != len(c.chunks) {
				t.Errorf("read ahead %v; want chunks of %v", rec.chunks, c.chunks)
			}
			next := int64(1)
			for _, n := range c.chunks {
				want := make([]int64, n)
				for j := range want {
					want[j] = next + int64(j)
				}
				if !slices.Equal(rec.chunks[next], want) {
					t.Errorf("chunk from row %d read as %v; want %v", next, rec.chunks[next], want)
				}
				for _, id := range want {
					if got := rec.billed[id]; !slices.Equal(got, []int64{next}) {
						t.Errorf("row %d billed under reads %v; want once, under its chunk's (%d)", id, got, next)
					}
				}
				next += int64(n)
			}
			if len(rec.billed) != int(next-1) {
				t.Errorf("billed %d rows; want %d", len(rec.billed), next-1)
			}
		})
	}
}

func TestAPipelineWhoseContextEndsBillsNoRowAfterAndReturns(t *testing.T) {
	t.Parallel()
	// When the context ends, a reader's hand-off to a waiting worker and the end are both ready, and
	// select picks either: the scenario runs many times so that rows do reach workers after the end.
	for range 64 {
		// Given a pipeline over many claims whose context ends while its first chunk is read ahead
		ctx, cancel := context.WithCancel(t.Context())
		rec := newChunkRecorder()
		var billed int
		p := pipeline{workers: 2, claim: claimsOf([]int{readAheadRows, readAheadRows, readAheadRows}, nil),
			readAhead: func(ahead context.Context, ids []int64) context.Context {
				if len(ids) > 0 {
					cancel()
				}
				return rec.readAhead(ahead, ids)
			},
			bill: func(row aheadRow) {
				rec.mu.Lock()
				defer rec.mu.Unlock()
				billed++
			}}
		// When it runs
		err := p.run(ctx)
		// Then it returns without billing any row
		if err != nil {
			t.Fatalf("run returned %v; want nil (nothing failed to claim)", err)
		}
		if billed > 0 {
			t.Fatalf("billed %d rows after the context ended; want none", billed)
		}
	}
}
