package projections

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// checkpointInterval bounds how far a projection's persisted checkpoint trails the events it has read when
// those are only events it has no handler for (other aggregates'): it is written at most this often for them.
// A restart reads such events again, which changes nothing. Waiting for them (WaitFor) is answered from
// memory by the runner that read them.
const checkpointInterval = time.Second

// step is one event of a batch, decoded, with the handler that applies it. It points at the event and its
// decoded value rather than holding copies: a replay deals every event to each projection that handles it,
// and copying a few hundred bytes per event and projection was a tenth of its Go CPU. Neither is ever
// changed through a step (the projections of a replay share them).
type step struct {
	ev      *eventstore.RecordedEvent
	event   *Event[any]
	handler Handler
	ignored string // why the projection has nothing to do for it; "" when handler applies it
}

// applySteps applies the steps a transaction has to: through the projection's Batch, one call for all of
// them, when it has one and more than one event is handled; else through each event's handler. A failed
// Batch names no event: handle then applies the events one at a time, which names the culprit.
func (p *projectionRun) applySteps(ctx context.Context, tx *sqlx.Tx, steps []step) error {
	if p.batch != nil {
		var events []Event[any]
		for _, s := range steps {
			if s.ignored == "" {
				events = append(events, *s.event)
			}
		}
		if len(events) > 1 {
			return p.batch(ctx, tx, events)
		}
	}
	for _, s := range steps {
		if err := p.applyStep(ctx, tx, s); err != nil {
			return err
		}
	}
	return nil
}

// applyStep applies one step through its handler (nothing for an ignored one), naming the event on failure.
func (p *projectionRun) applyStep(ctx context.Context, tx *sqlx.Tx, s step) error {
	if s.ignored != "" {
		return nil
	}
	if err := s.handler.apply(ctx, tx, s.event.Envelope, s.event.Data); err != nil {
		return &EventError{Projection: p.name, Event: refOf(*s.ev), Err: err}
	}
	return nil
}

// apply decodes events (in log order) and applies those after the checkpoint in one transaction that also
// moves the checkpoint to the last of them (or in one statement: applyAlone). A batch of events the
// projection has no handler for changes no row: it only moves the checkpoint in memory (the tracker), and
// flushCheckpoints writes it once a checkpointInterval, saving a transaction per batch of other aggregates'
// events (with twenty projections, most of which ignore a given event, that was most of the transactions).
func (p *projectionRun) apply(ctx context.Context, events []eventstore.RecordedEvent) error {
	steps := make([]step, len(events))
	handles := false
	decoded := make([]Event[any], len(events))
	for i := range events {
		var (
			h       Handler
			ignored string
			err     error
		)
		if decoded[i], h, ignored, err = p.decode(events[i]); err != nil {
			return err
		}
		steps[i] = step{ev: &events[i], event: &decoded[i], handler: h, ignored: ignored}
		handles = handles || ignored == ""
	}
	p.tracker.handling(events[0].Created)
	last := events[len(events)-1]
	stopAt := p.pendingStop.Load()
	if !handles && stopAt == nil {
		p.advanced(steps, 0, true)
		return nil
	}
	var fresh int // steps[fresh:] are after the checkpoint the transaction started from
	committed := stopAt == nil && p.applyAlone(ctx, steps)
	if !committed {
		var err error
		if committed, fresh, err = p.applyInTx(ctx, steps, stopAt); err != nil {
			return err
		}
	}
	if committed {
		p.committed.Store(&last.Position)
	}
	if committed && stopAt != nil {
		p.pendingStop.CompareAndSwap(stopAt, nil)
	}
	p.advanced(steps, fresh, committed)
	if p.afterCommit != nil {
		return p.afterCommit(ctx, last.Position)
	}
	return nil
}

// applyInTx applies the steps after the checkpoint in the checkpoint's transaction (inCheckpointTx), clearing
// a pending stop the batch reaches, and reports whether it committed and the first step it applied (the
// ones before it were at or before the checkpoint: another process or an earlier delivery applied them).
func (p *projectionRun) applyInTx(ctx context.Context, steps []step, stopAt *eventstore.Position) (committed bool, fresh int, err error) {
	first, last := steps[0].ev.Position, steps[len(steps)-1].ev.Position
	committed, err = inCheckpointTx(ctx, p.db, p.name, p.durable, first, last, func(tx *sqlx.Tx, after *eventstore.Position) error {
		fresh = 0
		for fresh < len(steps) && after != nil && steps[fresh].ev.Position.Compare(*after) <= 0 {
			fresh++
		}
		if err := p.applySteps(ctx, tx, steps[fresh:]); err != nil {
			return err
		}
		if stopAt != nil && reached(&last, *stopAt) {
			return clearStop(ctx, tx, p.name, last)
		}
		return nil
	})
	return committed, fresh, err
}

// advanced reports applied steps to the tracker and the metrics: steps[fresh:] when committed, none
// otherwise (another process or an earlier delivery applied them).
func (p *projectionRun) advanced(steps []step, fresh int, committed bool) {
	handled := 0
	var keys []int64
	for i, s := range steps {
		reason := s.ignored
		if !committed || i < fresh {
			reason = ignoredApplied
		}
		if s.ignored == "" {
			handled++
			if p.changeKey != nil {
				keys = append(keys, p.changeKey(s.event.Data))
			}
		}
		p.metrics.advanced(p.name, s.ev.Position.Commit, reason)
	}
	last := steps[len(steps)-1].ev
	p.tracker.advanced(last.Position, last.Created, handled, keys)
}
