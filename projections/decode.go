package projections

import (
	"runtime"
	"sync"

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
	data, err := registry.DecodeWith(unmarshalPayload, ev.Type, md.SchemaVersion, ev.Data)
	if err != nil {
		return Event[any]{}, err
	}
	return Event[any]{Envelope: Envelope{ID: ev.ID, Stream: ev.StreamID, Revision: ev.Revision, Position: ev.Position,
		Type: ev.Type, Created: ev.Created, Metadata: md}, Data: data}, nil
}

// decodeAll decodes the events wanted says it wants (by index), split among as many goroutines as Go runs
// threads: decoding is most of the Go side of a replay, and one goroutine made the whole pass wait for it.
// On failure it returns the index of the first event, in log order, that failed, and its error.
func decodeAll(registry *aggregates.Registry, events []eventstore.RecordedEvent, wanted func(i int) bool) (decoded []Event[any], failed int, err error) {
	decoded = make([]Event[any], len(events))
	parts := min(runtime.GOMAXPROCS(0), max(1, len(events)/minDecodedPerGoroutine))
	size := (len(events) + parts - 1) / max(parts, 1)
	failedAt, errs := make([]int, parts), make([]error, parts)
	var wg sync.WaitGroup
	for part := range parts {
		wg.Go(func() {
			for i := part * size; i < min((part+1)*size, len(events)); i++ {
				if !wanted(i) {
					continue
				}
				if decoded[i], errs[part] = decodeEvent(registry, events[i]); errs[part] != nil {
					failedAt[part] = i
					return
				}
			}
		})
	}
	wg.Wait()
	for part, err := range errs {
		if err != nil {
			return nil, failedAt[part], err
		}
	}
	return decoded, 0, nil
}

// minDecodedPerGoroutine keeps small pages on one goroutine, where starting more costs more than it saves.
const minDecodedPerGoroutine = 256
