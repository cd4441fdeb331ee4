package projections

import (
	"context"
	"fmt"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// countPageSize is how many events one ReadAll of CountEventsAfter returns.
const countPageSize = 4096

// CountEventsAfter counts the events of $all after from that projections see (system streams excluded), up
// to limit, by paging through the log: how far a projection whose checkpoint is from is behind. capped says
// there are more than n. The cost grows with the count, so callers answering people keep limit small.
func CountEventsAfter(ctx context.Context, store eventstore.Store, from eventstore.AllFrom, limit int) (n int, capped bool, err error) {
	for {
		page, err := store.ReadAll(ctx, from, countPageSize)
		if err != nil {
			return n, false, fmt.Errorf("count events: %w", err)
		}
		for _, ev := range page {
			if eventstore.IsSystemStream(ev.StreamID) {
				continue
			}
			if n == limit {
				return n, true, nil
			}
			n++
		}
		if len(page) < countPageSize {
			return n, false, nil
		}
		from = eventstore.AllAfter(page[len(page)-1].Position)
	}
}
