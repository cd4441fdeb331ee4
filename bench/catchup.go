package main

import (
	"context"
	"fmt"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// catchUpPage is the raw baseline's page size, a typical keyset-pagination page.
const catchUpPage = 1000

// fill writes at least n events to both the store and the raw table, in 1,000-event appends.
func (e *environment) fill(ctx context.Context, n int) error {
	store := e.storeAppend(catchUpPage)
	raw, err := e.rawInsert(ctx, catchUpPage)
	if err != nil {
		return err
	}
	for written := 0; written < n; written += catchUpPage {
		if _, err := store(ctx); err != nil {
			return err
		}
		if _, err := raw(ctx); err != nil {
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

// rawRow is what the raw catch-up decodes per row: the same columns a recorded event carries.
type rawRow struct {
	ID        int64  `db:"id"`
	StreamID  string `db:"stream_id"`
	Revision  int64  `db:"revision"`
	EventID   string `db:"event_id"`
	EventType string `db:"event_type"`
	Data      []byte `db:"data"`
	Metadata  []byte `db:"metadata"`
}

// rawCatchUp reads the whole raw table in keyset-paginated pages: the best a plain reader can do.
func (e *environment) rawCatchUp(ctx context.Context) (float64, error) {
	start := time.Now()
	var last int64
	count := 0
	for {
		var page []rawRow
		if err := e.DB.SelectContext(ctx, &page, `SELECT id, stream_id, revision, event_id, event_type, data, metadata
			FROM raw_events WHERE id > $1 ORDER BY id LIMIT $2`, last, catchUpPage); err != nil {
			return 0, err
		}
		if len(page) == 0 {
			return float64(count) / time.Since(start).Seconds(), nil
		}
		count += len(page)
		last = page[len(page)-1].ID
	}
}

// compareCatchUp alternates both readers and averages them. Both tables hold at least `written` events.
func (e *environment) compareCatchUp(ctx context.Context, rounds, written int) (comparison, error) {
	c := comparison{name: "`$all` catch-up, one reader", target: fmt.Sprintf("≥ %d events/s", catchUpTarget), rawLabel: "keyset-paged SELECT"}
	for range rounds {
		r, err := e.rawCatchUp(ctx)
		if err != nil {
			return c, err
		}
		s, storeCount, err := e.storeCatchUp(ctx)
		if err != nil {
			return c, err
		}
		if storeCount < written {
			return c, fmt.Errorf("catch-up delivered %d events, the store holds at least %d", storeCount, written)
		}
		c.raw, c.store = c.raw+r/float64(rounds), c.store+s/float64(rounds)
	}
	return c, nil
}
