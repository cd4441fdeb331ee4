package projections

import (
	"context"

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
	return rb.decodePage(readLogPage(ctx, rb.cfg, from, "rebuild "+rb.run.name), until)
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

// prefetch reads and decodes the pages after from on a goroutine of its own (logAhead), so that reading the
// log (the store's query, the transfer, the decoding) overlaps applying the page before, instead of the two
// taking turns on one goroutine. Reading stops after a short page or a failed read; a page that fails to
// decode is sent like any other (its err set), and the caller stops there. Decoding on a goroutine of its
// own, a page behind the reading, was tried: it held two more pages for no measured gain (docs/benchmarks.md).
func (rb *rebuild) prefetch(ctx context.Context, from eventstore.AllFrom) <-chan logPage {
	return logAhead(ctx, rb.cfg, from, "rebuild "+rb.run.name, func(p rawPage) logPage { return rb.decodePage(p, nil) })
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
