package projections

import (
	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// decodeEvent reads ev's metadata and payload (upcast to the newest shape) into what apply funcs receive.
// It is the costly part of reading the log: callers decide by ev.Type whether they want the event first.
func decodeEvent(registry *aggregates.Registry, ev eventstore.RecordedEvent) (Event[any], error) {
	md, err := aggregates.ParseMetadata(ev.Metadata)
	if err != nil {
		return Event[any]{}, err
	}
	data, err := registry.Decode(ev.Type, md.SchemaVersion, ev.Data)
	if err != nil {
		return Event[any]{}, err
	}
	return Event[any]{Envelope: Envelope{ID: ev.ID, Stream: ev.StreamID, Revision: ev.Revision, Position: ev.Position,
		Type: ev.Type, Created: ev.Created, Metadata: md}, Data: data}, nil
}
