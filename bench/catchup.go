package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// catchUpPage is the plain reader's page size: the store's own subscription page (postgres.WithPageSize's
// default), so both readers make as many round trips.
const catchUpPage = 2000

// fill writes at least n events to the store, in 1,000-event appends.
func (e *environment) fill(ctx context.Context, n int) error {
	store := e.storeAppend(1000)
	for written := 0; written < n; written += 1000 {
		if _, err := store(ctx); err != nil {
			return err
		}
	}
	return nil
}

// storeCatchUp subscribes from the start and returns the events/s until the subscription reports it
// caught up: the rate a new projection or a rebuild replays history at.
func (e *environment) storeCatchUp(ctx context.Context) (float64, int, error) {
	start := time.Now()
	sub, err := e.Store.SubscribeAll(ctx, eventstore.AllStart(), eventstore.Filter{})
	if err != nil {
		return 0, 0, err
	}
	defer sub.Close()
	count := 0
	for {
		msg, err := sub.Recv(ctx)
		if err != nil {
			return 0, 0, err
		}
		if msg.CaughtUp {
			return float64(count) / time.Since(start).Seconds(), count, nil
		}
		count++
	}
}

// plainRow is what the plain reader decodes per row: the columns a recorded event carries, into the Go
// types the store decodes them into.
type plainRow struct {
	TxID      uint64    `db:"tx_id"`
	Seq       int64     `db:"seq"`
	StreamID  string    `db:"stream_id"`
	Revision  int64     `db:"revision"`
	EventID   uuid.UUID `db:"event_id"`
	EventType string    `db:"event_type"`
	Data      []byte    `db:"data"`
	Metadata  []byte    `db:"metadata"`
	Created   time.Time `db:"created_at"`
}

// plainCatchUp reads the store's own events table in keyset-paginated pages, in the store's order, through
// a prepared statement on the same kind of connection (lib/pq): the best a plain reader of the same rows
// can do, without the visibility fence.
func (e *environment) plainCatchUp(ctx context.Context) (float64, int, error) {
	stmt, err := e.DB.PreparexContext(ctx, `SELECT tx_id, seq, stream_id, revision, event_id,
		event_type, data, metadata, created_at FROM events
		WHERE (tx_id, seq) > ($1::text::xid8, $2) ORDER BY tx_id, seq LIMIT $3`)
	if err != nil {
		return 0, 0, err
	}
	defer stmt.Close()
	start := time.Now()
	var (
		lastTx  uint64
		lastSeq int64
		count   int
		page    []plainRow
	)
	for {
		page = page[:0]
		if err := stmt.SelectContext(ctx, &page, fmt.Sprint(lastTx), lastSeq, catchUpPage); err != nil {
			return 0, 0, err
		}
		if len(page) == 0 {
			return float64(count) / time.Since(start).Seconds(), count, nil
		}
		count += len(page)
		lastTx, lastSeq = page[len(page)-1].TxID, page[len(page)-1].Seq
	}
}

// compareCatchUp alternates both readers over the same table and reports the median of each side. The
// store holds at least `written` events; both readers must see the same number.
func (e *environment) compareCatchUp(ctx context.Context, rounds, written int) (comparison, error) {
	c := comparison{name: "`$all` catch-up, one reader", target: fmt.Sprintf("≥ %d events/s", catchUpTarget),
		rawLabel: "keyset-paged SELECT of the same events table"}
	var plain, store []float64
	for range rounds {
		p, plainCount, err := e.plainCatchUp(ctx)
		if err != nil {
			return c, err
		}
		s, storeCount, err := e.storeCatchUp(ctx)
		if err != nil {
			return c, err
		}
		if storeCount < written || storeCount != plainCount {
			return c, fmt.Errorf("catch-up delivered %d events, the plain read %d, the store holds at least %d", storeCount, plainCount, written)
		}
		plain, store = append(plain, p), append(store, s)
	}
	c.raw, c.store = median(plain), median(store)
	return c, nil
}

// median is the middle value (the upper middle of an even count).
func median(values []float64) float64 {
	sorted := slices.Clone(values)
	slices.Sort(sorted)
	return sorted[len(sorted)/2]
}
