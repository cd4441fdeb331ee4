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
	return rb.decodePage(rb.readRaw(ctx, from), until)
}

// readRaw reads up to one batch of the events after from, as the store returns them.
func (rb *rebuild) readRaw(ctx context.Context, from eventstore.AllFrom) rawPage {
	events, err := rb.cfg.Store.ReadAll(ctx, from, rb.cfg.RebuildBatchSize)
	if err != nil {
		err = fmt.Errorf("projections: rebuild %s: read after %v: %w", rb.run.name, from, err)
	}
	return rawPage{events: events, err: err}
}

// decodePage decodes the events of raw up to until (all of them when until is nil) that the projection
// handles, split among the cores (decodeAll): decoding is the larger half of the Go side of a rebuild.
func (rb *rebuild) decodePage(raw rawPage, until *eventstore.Position) logPage {
	if raw.err != nil {
		return logPage{err: raw.err}
	}
	events := raw.events
	if until != nil {
		n := 0
		for n < len(events) && events[n].Position.Compare(*until) <= 0 {
			n++
		}
		events = events[:n]
	}
	p := logPage{steps: make([]step, len(events))}
	for i := range events {
		p.steps[i].ev = &events[i]
		p.steps[i].handler, p.steps[i].ignored = rb.run.handlerOf(events[i].Type)
	}
	decoded, failed, err := decodeAll(rb.cfg.Registry, events, func(i int) bool { return p.steps[i].ignored == "" })
	if err != nil {
		return logPage{err: &EventError{Projection: rb.run.name, Event: refOf(events[failed]), Err: err}}
	}
	for i := range p.steps {
		p.steps[i].event = &decoded[i]
	}
	return p
}

// prefetch reads the pages after from on a goroutine of its own (pagesAhead) and decodes each on another,
// so that the store's query and transfer, the decoding and applying the page before all overlap instead of
// taking turns: reading and decoding on one goroutine kept the applying side waiting for it. It stops after
// a short page or a failed one. Warning: up to five pages are in memory at once (one read, one waiting to be
// decoded, one decoded, one waiting to be applied, one applied); see defaultRebuildBatchSize.
func (rb *rebuild) prefetch(ctx context.Context, from eventstore.AllFrom) <-chan logPage {
	raw := pagesAhead(ctx, from, func(from eventstore.AllFrom) rawPage { return rb.readRaw(ctx, from) },
		func(p rawPage) (eventstore.AllFrom, bool) {
			if p.err != nil || len(p.events) < rb.cfg.RebuildBatchSize {
				return eventstore.AllFrom{}, false
			}
			return eventstore.AllAfter(p.events[len(p.events)-1].Position), true
		})
	pages := make(chan logPage, 1)
	go func() {
		defer close(pages)
		for p := range raw {
			select {
			case pages <- rb.decodePage(p, nil):
			case <-ctx.Done():
				return
			}
		}
	}()
	return pages
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
