package projections

import (
	"context"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// applyBatch is apply for a projection with a Batch: it decodes the events (up to until, when set), hands
// the handled ones to Batch in one call and returns how many it read. rb.from moves past the last event read
// only once Batch succeeded, so a failure leaves it where the rolled-back transaction started.
func (rb *rebuild) applyBatch(ctx context.Context, tx *sqlx.Tx, events []eventstore.RecordedEvent, until *eventstore.Position) (int, error) {
	read := len(events)
	handled := make([]Event[any], 0, len(events))
	for i, ev := range events {
		if until != nil && ev.Position.Compare(*until) > 0 {
			read = i
			break
		}
		e, _, ignored, err := rb.run.decode(ev)
		if err != nil {
			return i, err
		}
		if ignored == "" {
			handled = append(handled, e)
		}
	}
	if len(handled) > 0 {
		if err := rb.batch(ctx, tx, handled); err != nil {
			return 0, &batchError{events: events[:read], err: fmt.Errorf("projections: %s: apply the batch of %d events from position %s to %s: %w",
				rb.run.name, len(handled), handled[0].Position, handled[len(handled)-1].Position, err)}
		}
	}
	if read > 0 {
		rb.from = eventstore.AllAfter(events[read-1].Position)
	}
	return read, nil
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
	if rb.exec(ctx, tx, []string{rb.freshSearchPath()}) != nil {
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
