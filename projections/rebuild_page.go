package projections

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// logPage is one page of the log, read and decoded, that a rebuild applies in one transaction.
type logPage struct {
	steps []step // the page's events up to the bound it was read with, decoded
	err   error  // reading or decoding failed: the page must not be applied
}

// readPage reads up to one batch of the events after from (and not after until, when set) and decodes them
// for the projection's Batch or handlers. It does not touch rb.from, so it may run ahead of the transaction
// that applies the page before (see prefetch).
func (rb *rebuild) readPage(ctx context.Context, from eventstore.AllFrom, until *eventstore.Position) logPage {
	events, err := rb.cfg.Store.ReadAll(ctx, from, rb.cfg.RebuildBatchSize)
	if err != nil {
		return logPage{err: fmt.Errorf("projections: rebuild %s: read after %v: %w", rb.run.name, from, err)}
	}
	p := logPage{steps: make([]step, 0, len(events))}
	decoded := make([]Event[any], len(events))
	for i := range events {
		if until != nil && events[i].Position.Compare(*until) > 0 {
			break
		}
		var (
			h       Handler
			ignored string
		)
		if decoded[i], h, ignored, err = rb.run.decode(events[i]); err != nil {
			return logPage{err: err}
		}
		p.steps = append(p.steps, step{ev: &events[i], event: &decoded[i], handler: h, ignored: ignored})
	}
	return p
}

// prefetch reads and decodes the pages after from on a goroutine of its own (pagesAhead), so that reading the
// log (the store's query, the transfer, the decoding) overlaps applying the page before, instead of the two
// taking turns on one goroutine. It stops after a short page or a failed one.
func (rb *rebuild) prefetch(ctx context.Context, from eventstore.AllFrom) <-chan logPage {
	return pagesAhead(ctx, from, func(from eventstore.AllFrom) logPage { return rb.readPage(ctx, from, nil) },
		func(p logPage) (eventstore.AllFrom, bool) {
			if p.err != nil || len(p.steps) < rb.cfg.RebuildBatchSize {
				return eventstore.AllFrom{}, false
			}
			return eventstore.AllAfter(p.steps[len(p.steps)-1].ev.Position), true
		})
}

// pagesAhead runs read over the log on a goroutine of its own, one page ahead of the caller, from from on:
// next says where the page after p starts, or false when p is the last. It sends every page in order and
// closes the channel after the last one, or when ctx ends. The caller must end ctx once it stops receiving,
// or the goroutine waits to send forever.
func pagesAhead[P any](ctx context.Context, from eventstore.AllFrom, read func(eventstore.AllFrom) P,
	next func(P) (eventstore.AllFrom, bool)) <-chan P {
	pages := make(chan P, 1)
	go func() {
		defer close(pages)
		for more := true; more; {
			p := read(from)
			select {
			case pages <- p:
			case <-ctx.Done():
				return
			}
			from, more = next(p)
		}
	}()
	return pages
}

// applyPage applies a page to the fresh tables through the projection's Batch (or its handlers, one event
// at a time) and returns how many events it read. rb.from moves past the page's last event only once they
// all succeeded, so a failure leaves it where the rolled-back transaction started.
func (rb *rebuild) applyPage(ctx context.Context, tx *sqlx.Tx, p logPage) (int, error) {
	if p.err != nil {
		return 0, p.err
	}
	if rb.batch != nil {
		if err := rb.applyBatch(ctx, tx, p.steps); err != nil {
			return 0, err
		}
	} else {
		for _, s := range p.steps {
			if err := rb.run.applyStep(ctx, tx, s); err != nil {
				return 0, err
			}
		}
	}
	if len(p.steps) > 0 {
		rb.from = eventstore.AllAfter(p.steps[len(p.steps)-1].ev.Position)
	}
	return len(p.steps), nil
}
