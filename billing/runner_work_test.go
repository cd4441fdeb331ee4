package billing

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/projections/deadline"
)

// readNumber is the context key under which aheadRecorder marks the ctx each ReadDue returns.
type readNumber struct{}

// aheadRecorder is a Biller that records its reads ahead: the rows of each, and which read's ctx each was
// made on (0: none).
type aheadRecorder struct {
	mu    sync.Mutex
	reads [][]int64
	on    []int
}

func (b *aheadRecorder) ReadDue(ctx context.Context, ids []int64) context.Context {
	b.mu.Lock()
	defer b.mu.Unlock()
	on, _ := ctx.Value(readNumber{}).(int)
	b.reads, b.on = append(b.reads, slices.Clone(ids)), append(b.on, on)
	return context.WithValue(ctx, readNumber{}, len(b.reads))
}

// RenewAhead renews nothing: work's chunks are what is tested here.
func (b *aheadRecorder) RenewAhead(ctx context.Context, _ []int64, _ time.Time, _ func(commands.BillingAction)) context.Context {
	return ctx
}

func (b *aheadRecorder) BillDue(context.Context, int64, time.Time, func(commands.BillingAction)) (eventstore.Position, error) {
	return eventstore.Position{}, nil
}

func TestWorkReadsAheadEveryChunkOfRowsAndBillsEachRowUnderItsChunksRead(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		rows    int
		workers int
		// chunks are the rows each read ahead covers
		chunks []int
	}{
		{name: "fewer rows than a chunk: one read", rows: 5, workers: 4, chunks: []int{5}},
		{name: "a chunk exactly", rows: readAheadRows, workers: 16, chunks: []int{readAheadRows}},
		{name: "more: a read per chunk, the last one short", rows: 2*readAheadRows + 6, workers: 3,
			chunks: []int{readAheadRows, readAheadRows, 6}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// Given claimed rows of subscriptions 1, 2, … and a run whose earlier chunk left a read ahead
			claimed := make([]deadline.Due, c.rows)
			for i := range claimed {
				claimed[i] = deadline.Due{SubscriptionID: int64(i + 1)}
			}
			biller := &aheadRecorder{}
			earlier := biller.ReadDue(t.Context(), nil)
			r := Runner{Biller: biller, Workers: c.workers}
			// When the rows are worked
			var mu sync.Mutex
			readOf := map[int64]int{}
			last := r.work(t.Context(), earlier, claimed, biller.ReadDue, func(ahead context.Context, d deadline.Due) {
				mu.Lock()
				defer mu.Unlock()
				readOf[d.SubscriptionID], _ = ahead.Value(readNumber{}).(int)
			})
			// Then each chunk was read ahead once, in order, each read on the ctx the one before returned
			reads, on := biller.reads[1:], biller.on[1:]
			next := int64(1)
			for i, n := range c.chunks {
				want := make([]int64, n)
				for j := range want {
					want[j] = next + int64(j)
				}
				if i >= len(reads) || !slices.Equal(reads[i], want) || on[i] != i+1 {
					t.Fatalf("reads ahead %v on reads %v; want chunks of %v, each on the one before", reads, on, c.chunks)
				}
				// and every row was billed under its own chunk's read
				for _, id := range want {
					if readOf[id] != i+2 {
						t.Errorf("row %d billed under read %d, want %d", id, readOf[id], i+2)
					}
				}
				next += int64(n)
			}
			if len(reads) != len(c.chunks) || last.Value(readNumber{}) != len(biller.reads) {
				t.Errorf("%d reads ahead, work returned read %v; want %d and the last", len(reads),
					last.Value(readNumber{}), len(c.chunks))
			}
		})
	}
}
