package projections

import (
	"context"
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
			return 0, fmt.Errorf("projections: %s: apply the batch of %d events from position %s to %s: %w",
				rb.run.name, len(handled), handled[0].Position, handled[len(handled)-1].Position, err)
		}
	}
	if read > 0 {
		rb.from = eventstore.AllAfter(events[read-1].Position)
	}
	return read, nil
}
