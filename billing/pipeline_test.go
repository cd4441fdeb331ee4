package billing

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/projections/deadline"
)

// readOf is the context key under which chunkRecorder marks the ctx of each chunk's read ahead.
type readOf struct{}

// chunkRecorder records a pipeline's reads ahead and the read each row was billed under.
type chunkRecorder struct {
	mu     sync.Mutex
	chunks map[int64][]int64 // by the chunk's first row
	billed map[int64][]int64 // the chunks (by their first row) each row was billed under
}

func newChunkRecorder() *chunkRecorder {
	return &chunkRecorder{chunks: map[int64][]int64{}, billed: map[int64][]int64{}}
}

func (c *chunkRecorder) readAhead(ahead context.Context, ids []int64) context.Context {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.chunks[ids[0]] = slices.Clone(ids)
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
			// Then it returns the claim's failure, each chunk was read ahead once, and every row was billed
			// once, under its own chunk's read
			if !errors.Is(err, c.failure) {
				t.Errorf("run returned %v; want %v", err, c.failure)
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
	// Given a pipeline over many claims whose context ends while its first row is billed
	ctx, cancel := context.WithCancel(t.Context())
	rec := newChunkRecorder()
	var billed int
	p := pipeline{workers: 2, claim: claimsOf([]int{readAheadRows, readAheadRows, readAheadRows}, nil),
		readAhead: rec.readAhead, bill: func(row aheadRow) {
			rec.bill(row)
			rec.mu.Lock()
			billed++
			rec.mu.Unlock()
			cancel()
		}}
	// When it runs
	err := p.run(ctx)
	// Then it returns, having billed no row but those handed to a worker before the end
	if err != nil {
		t.Errorf("run returned %v; want nil (nothing failed to claim)", err)
	}
	if billed > 2 {
		t.Errorf("billed %d rows after the context ended; want at most one a worker", billed)
	}
}
