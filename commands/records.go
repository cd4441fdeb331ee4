package commands

import (
	"context"
	"errors"
	"fmt"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// recordWindow is how many of a record stream's last events appendRecord looks through for the record it
// is about to append: a retried command is recognised unless that many newer records came in between.
const recordWindow = 16

// appendRecord appends one event to a stream of records that nothing decides on and nothing folds (a
// customer's sign-ins), and returns where it stands. Such a stream grows without bound, so the append never
// reads more than its last recordWindow events, whatever its length: among them it recognises this very
// event (its id derives from the command id), which a retried command must not append twice, and it takes
// the last revision, so the append expects it exactly (an Any append would have the store look for the id
// through the whole stream). A concurrent record on the same stream makes it read again and retry.
func appendRecord(ctx context.Context, store eventstore.Store, stream string, event eventstore.EventData) (eventstore.Position, error) {
	return retryLost(ctx, stream, func() (eventstore.Position, bool, error) {
		last, err := store.ReadStream(ctx, stream, eventstore.Backwards, eventstore.StreamEnd(), recordWindow)
		expected := eventstore.NoStream()
		switch {
		case err != nil && !errors.Is(err, eventstore.ErrStreamNotFound):
			return eventstore.Position{}, false, fmt.Errorf("commands: read the end of %s: %w", stream, err)
		case len(last) > 0:
			for _, e := range last {
				if e.ID == event.ID {
					return e.Position, false, nil
				}
			}
			expected = eventstore.Exact(last[0].Revision)
		}
		appended, err := store.Append(ctx, stream, expected, event)
		if errors.Is(err, eventstore.ErrWrongExpectedVersion) {
			return eventstore.Position{}, true, err
		}
		if err != nil {
			return eventstore.Position{}, false, fmt.Errorf("commands: append to %s: %w", stream, err)
		}
		return appended.Position, false, nil
	})
}
