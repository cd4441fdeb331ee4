package commands

import (
	"context"
	"errors"
	"fmt"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// readPageSize bounds one ReadStream call, so a long stream is loaded in pages instead of one huge result.
const readPageSize = 512

// history is an aggregate's stream folded into state, as one attempt of a command sees it.
type history[S any] struct {
	state S
	// exists is false when the stream has no events: the command creates the aggregate.
	exists bool
	// last is where the stream's last event stands; meaningful only when exists.
	last Result
	// landed is set when the stream already holds the events of this very command (an earlier attempt whose
	// acknowledgement was lost): it tells where the last of them stands.
	landed *Result
}

// expected is the append condition that holds only if nobody wrote after this history was read.
func (h history[S]) expected() eventstore.ExpectedRevision {
	if !h.exists {
		return eventstore.NoStream()
	}
	return eventstore.Exact(h.last.Revision)
}

// load reads the whole stream forwards in pages and folds it with the aggregate's Evolve. It watches for the
// ids this command derives (EventID(stream, commandID, 0), 1, …) so a command that already landed is
// recognised instead of decided again.
func load[S, E any](ctx context.Context, store eventstore.Store, agg Aggregate[S, E], stream, commandID string) (history[S], error) {
	var h history[S]
	ownIndex := 0
	ownID := EventID(stream, commandID, ownIndex)
	for from := uint64(0); ; {
		page, err := store.ReadStream(ctx, stream, eventstore.Forwards, eventstore.StreamRevision(from), readPageSize)
		if errors.Is(err, eventstore.ErrStreamNotFound) {
			return h, nil
		}
		if err != nil {
			return h, fmt.Errorf("commands: read %s from revision %d: %w", stream, from, err)
		}
		for _, recorded := range page {
			event, err := decode[E](agg.Registry, recorded)
			if err != nil {
				return h, err
			}
			h.state = agg.Evolve(h.state, event)
			h.exists = true
			h.last = Result{Revision: recorded.Revision, Position: recorded.Position}
			if recorded.ID == ownID {
				landed := h.last
				h.landed = &landed
				ownIndex++
				ownID = EventID(stream, commandID, ownIndex)
			}
		}
		if len(page) < readPageSize {
			return h, nil
		}
		from = h.last.Revision + 1
	}
}

// decode turns a recorded event into the aggregate's event type, upcast to its newest shape.
func decode[E any](registry *aggregates.Registry, recorded eventstore.RecordedEvent) (E, error) {
	var zero E
	md, err := aggregates.ParseMetadata(recorded.Metadata)
	if err != nil {
		return zero, fmt.Errorf("commands: %s@%d: %w", recorded.StreamID, recorded.Revision, err)
	}
	value, err := registry.Decode(recorded.Type, md.SchemaVersion, recorded.Data)
	if err != nil {
		return zero, fmt.Errorf("commands: %s@%d: %w", recorded.StreamID, recorded.Revision, err)
	}
	event, ok := value.(E)
	if !ok {
		return zero, fmt.Errorf("commands: %s@%d: %q decodes to %T, which is not an event of this aggregate",
			recorded.StreamID, recorded.Revision, recorded.Type, value)
	}
	return event, nil
}
