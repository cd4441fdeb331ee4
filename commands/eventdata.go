package commands

import (
	"encoding/json"
	"fmt"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// toEventData encodes a decision's events for the store: registered name and newest schema version, the
// envelope's metadata, and ids derived from the command id and each event's index in the decision.
func toEventData[E any](registry *aggregates.Registry, stream string, env Envelope, events []E) ([]eventstore.EventData, error) {
	data := make([]eventstore.EventData, len(events))
	for i, event := range events {
		encoded, err := registry.Encode(event)
		if err != nil {
			return nil, fmt.Errorf("commands: %s: %w", stream, err)
		}
		metadata, err := json.Marshal(env.metadata(encoded.SchemaVersion))
		if err != nil {
			return nil, fmt.Errorf("commands: %s: encode metadata: %w", stream, err)
		}
		data[i] = eventstore.EventData{
			ID:       EventID(stream, env.CommandID, i),
			Type:     encoded.Name,
			Data:     encoded.Data,
			Metadata: metadata,
		}
	}
	return data, nil
}
