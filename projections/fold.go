package projections

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// Fold applies chosen events to a projection's tables through its own handlers, one event at a time, without
// any checkpoint: for tools that rebuild a read model's rows from part of the log into tables of their own
// (the operator's time travel folds one customer's streams up to an instant into temporary tables). The rows
// it leaves are the ones the running projection would have written for the same events, because it is the
// same code.
type Fold struct {
	run *projectionRun
}

// NewFold checks p and prepares its handlers for registry's events.
func NewFold(registry *aggregates.Registry, p Projection) (*Fold, error) {
	dispatch, err := newDispatcher(p)
	if err != nil {
		return nil, err
	}
	return &Fold{run: &projectionRun{name: p.Name, dispatch: dispatch, registry: registry}}, nil
}

// Handles reports whether the projection has a handler for ev (false for an event type nobody registered).
func (f *Fold) Handles(ev eventstore.RecordedEvent) (bool, error) {
	_, _, ignored, err := f.run.decode(ev)
	return err == nil && ignored == "", err
}

// Apply applies ev inside tx, whose search path decides which tables it writes; an event the projection does
// not handle changes nothing.
func (f *Fold) Apply(ctx context.Context, tx *sqlx.Tx, ev eventstore.RecordedEvent) error {
	e, h, ignored, err := f.run.decode(ev)
	if err != nil {
		return err
	}
	if err := f.run.applyStep(ctx, tx, step{ev: &ev, event: &e, handler: h, ignored: ignored}); err != nil {
		return fmt.Errorf("projections: fold: %w", err)
	}
	return nil
}
