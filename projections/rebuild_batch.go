package projections

import (
	"context"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// applyBatch hands the page's handled events to the projection's Batch in one call. On failure it returns a
// *batchError holding every event of the page, for pinpoint.
func (rb *rebuild) applyBatch(ctx context.Context, tx *sqlx.Tx, steps []step) error {
	handled := make([]Event[any], 0, len(steps))
	for _, s := range steps {
		if s.ignored == "" {
			handled = append(handled, *s.event)
		}
	}
	if len(handled) == 0 {
		return nil
	}
	if err := rb.batch(ctx, tx, handled); err != nil {
		events := make([]eventstore.RecordedEvent, len(steps))
		for i, s := range steps {
			events[i] = *s.ev
		}
		return &batchError{events: events, err: fmt.Errorf("projections: %s: apply the batch of %d events from position %s to %s: %w",
			rb.run.name, len(handled), handled[0].Position, handled[len(handled)-1].Position, err)}
	}
	return nil
}

// batchError is a Batch's failure with the events it was given, so that Rebuild can find the one at fault
// once the batch's transaction is over (see pinpoint).
type batchError struct {
	events []eventstore.RecordedEvent
	err    error
}

func (e *batchError) Error() string { return e.err.Error() }
func (e *batchError) Unwrap() error { return e.err }

// pinpoint turns a Batch failure into the *EventError of the first of its events that fails on its own,
// applied one at a time through the handlers to the fresh tables in a transaction that is always rolled
// back, so a failed rebuild names the event as the running projection would. Other errors, and a batch
// failure no single event reproduces, come back unchanged. It must run after the failed transaction ended:
// the swap's transaction holds locks the handlers may need.
func (rb *rebuild) pinpoint(ctx context.Context, err error) error {
	var failed *batchError
	if !errors.As(err, &failed) {
		return err
	}
	tx, txErr := rb.cfg.DB.BeginTxx(ctx, nil)
	if txErr != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if rb.exec(ctx, tx, []string{rb.freshTxSettings()}) != nil {
		return err
	}
	for _, ev := range failed.events {
		apply, _, applyErr := rb.run.applier(ctx, ev)
		if applyErr == nil {
			applyErr = apply(tx)
		}
		if applyErr != nil {
			return fmt.Errorf("%w (found applying the failed batch one event at a time; the batch failed with: %v)", applyErr, failed.err)
		}
	}
	return err
}
