package projections

import (
	"context"
	"fmt"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// rawPage is one page of the log as the store returned it.
type rawPage struct {
	events []eventstore.RecordedEvent
	err    error
}

// readLogPage reads up to one batch (cfg.RebuildBatchSize) of the events after from; who names the rebuild
// in the error ("rebuild", "rebuild newsletters.v1").
func readLogPage(ctx context.Context, cfg Config, from eventstore.AllFrom, who string) rawPage {
	events, err := cfg.Store.ReadAll(ctx, from, cfg.RebuildBatchSize)
	if err != nil {
		err = fmt.Errorf("projections: %s: read after %v: %w", who, from, err)
	}
	return rawPage{events: events, err: err}
}

// logAhead reads the log after from on a goroutine of its own, one page ahead of the caller, and turns each
// page into what the caller receives with process, on that same goroutine: waiting for the store and
// processing overlap the caller's work on the page before. It sends every page in order and closes the
// channel after the last one (a short page, or a failed read), or when ctx ends. The caller must end ctx
// once it stops receiving, or the goroutine waits to send forever. Warning: three pages are in memory at
// once (one being read, one waiting in the channel, the caller's); a deeper pipeline multiplies that.
func logAhead[P any](ctx context.Context, cfg Config, from eventstore.AllFrom, who string, process func(rawPage) P) <-chan P {
	pages := make(chan P, 1)
	go func() {
		defer close(pages)
		for {
			raw := readLogPage(ctx, cfg, from, who)
			select {
			case pages <- process(raw):
			case <-ctx.Done():
				return
			}
			if raw.err != nil || len(raw.events) < cfg.RebuildBatchSize {
				return
			}
			from = eventstore.AllAfter(raw.events[len(raw.events)-1].Position)
		}
	}()
	return pages
}
