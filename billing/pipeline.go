package billing

import (
	"context"
	"sync"

	"github.com/pelcro-oss/pelcro-api/projections/deadline"
)

// readAheadRows is how many claimed rows one read ahead (Biller.ReadDue, then Biller.RenewAhead) covers: a
// chunk. Fewer rows than a claim keep each read ahead young when its rows are billed: a chunk's last row is
// billed about (readAheadDepth + 1) × readAheadRows + workers rows after its read, some 100 ms at 1,000
// renewals/s with 16 workers, inside the commands' freshness bound (past it BillDue reads again). More rows
// would save little: a round trip per chunk.
const readAheadRows = 32

// readAheadDepth is how many chunks are read ahead at once, each on its own goroutine, while the workers bill
// the rows of the chunks before them: a chunk's read ahead takes two round trips and an append (some 20 ms in
// bench/billing on a busy machine, while the workers bill about 20 rows), so one at a time it could let the
// workers wait for rows. The readers hand their rows on in turns, so two chunks are usually billed together.
// Warning: a deeper pipeline makes the reads ahead older when their rows are billed (see readAheadRows) and,
// with a real gateway, keeps more renewals in flight (an attempt pending, commands.Subscriptions.RenewAhead)
// at once.
const readAheadDepth = 2

// aheadRow is a claimed row and the ctx carrying its chunk's read ahead, for BillDue.
type aheadRow struct {
	ahead context.Context
	due   deadline.Due
}

// pipeline keeps the workers fed: one goroutine claims batches of rows (claim) and cuts them into chunks,
// readAheadDepth goroutines read the chunks ahead (readAhead) and hand their rows on, and Workers goroutines
// bill them (bill). Nobody waits at a claim's or a chunk's boundary: the next claim is made, and the next
// chunks read, while the rows before them are billed.
type pipeline struct {
	workers int
	// claim returns the next batch of rows to bill, none when nothing is left.
	claim func(ctx context.Context) ([]deadline.Due, error)
	// readAhead reads a chunk's rows ahead on ahead and returns the ctx its rows are billed under. Called with
	// no rows, it reads nothing and returns the ctx every chunk's read ahead is then made on, so the run's
	// reads ahead share what they read (customers and cards read once).
	readAhead func(ahead context.Context, ids []int64) context.Context
	bill      func(row aheadRow)
}

// run bills every row claim returns until it returns none or fails, or ctx ends (the rows not billed by
// then stay leased), and returns once every row handed to a worker is billed, with claim's error.
func (p pipeline) run(ctx context.Context) error {
	chunks := make(chan []deadline.Due)
	rows := make(chan aheadRow)
	var claimErr error
	var feeders, workers sync.WaitGroup
	feeders.Go(func() { claimErr = p.cut(ctx, chunks) })
	shared := p.readAhead(ctx, nil)
	for range readAheadDepth {
		feeders.Go(func() { p.readChunks(ctx, shared, chunks, rows) })
	}
	for range max(p.workers, 1) {
		workers.Go(func() {
			for row := range rows {
				if ctx.Err() == nil {
					p.bill(row)
				}
			}
		})
	}
	feeders.Wait()
	close(rows)
	workers.Wait()
	return claimErr
}

// cut claims batch after batch and sends each cut into chunks of readAheadRows, until a claim finds
// nothing or fails, or ctx ends; then it closes chunks.
func (p pipeline) cut(ctx context.Context, chunks chan<- []deadline.Due) error {
	defer close(chunks)
	for {
		claimed, err := p.claim(ctx)
		if err != nil || len(claimed) == 0 {
			return err
		}
		for i := 0; i < len(claimed); i += readAheadRows {
			select {
			case chunks <- claimed[i:min(i+readAheadRows, len(claimed))]:
			case <-ctx.Done():
				return nil
			}
		}
	}
}

// readChunks reads each chunk it takes ahead on shared and sends its rows on, until chunks is closed or ctx
// ends.
func (p pipeline) readChunks(ctx, shared context.Context, chunks <-chan []deadline.Due, rows chan<- aheadRow) {
	for chunk := range chunks {
		if ctx.Err() != nil {
			return
		}
		ids := make([]int64, len(chunk))
		for i, d := range chunk {
			ids[i] = d.SubscriptionID
		}
		ahead := p.readAhead(shared, ids)
		for _, d := range chunk {
			select {
			case rows <- aheadRow{ahead, d}:
			case <-ctx.Done():
				return
			}
		}
	}
}
