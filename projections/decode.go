package projections

import (
	"runtime"
	"sync"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// decodeEvent reads ev's metadata and payload (upcast to the newest shape) into what apply funcs receive.
// It is the costly part of reading the log: callers decide by ev.Type whether they want the event first.
// The event's strings are its own copies: apply funcs may keep them.
func decodeEvent(registry *aggregates.Registry, ev eventstore.RecordedEvent) (Event[any], error) {
	return decodeEventAs(registry, ev, false)
}

// decodeEventAs is decodeEvent; with view, the metadata's and the payload's strings are slices of ev's own
// Metadata and Data instead of copies (aggregates.DecodeView), which nothing may write to while they live.
func decodeEventAs(registry *aggregates.Registry, ev eventstore.RecordedEvent, view bool) (Event[any], error) {
	var md aggregates.Metadata
	var data any
	var err error
	if view {
		md, err = aggregates.ParseMetadataView(ev.Metadata)
	} else {
		md, err = aggregates.ParseMetadata(ev.Metadata)
	}
	if err != nil {
		return Event[any]{}, err
	}
	if view {
		data, err = registry.DecodeView(unmarshalPayload, ev.Type, md.SchemaVersion, ev.Data)
	} else {
		data, err = registry.DecodeWith(unmarshalPayload, ev.Type, md.SchemaVersion, ev.Data)
	}
	if err != nil {
		return Event[any]{}, err
	}
	return Event[any]{Envelope: Envelope{ID: ev.ID, Stream: ev.StreamID, Revision: ev.Revision, Position: ev.Position,
		Type: ev.Type, Created: ev.Created, Metadata: md}, Data: data}, nil
}

// decodeAll decodes the events wanted says it wants (by index), split among as many goroutines as Go runs
// threads: decoding is most of the Go side of a replay, and one goroutine made the whole pass wait for it.
// On failure it returns the index of the first event, in log order, that failed, and its error.
//
// The decoded strings are views of the events' own bytes (decodeEventAs), not copies: a copy and an
// allocation less per payload and per metadata document, a fifth of the decoding's CPU. That holds only
// because its callers, the rebuilds and the replay, decode pages the store just read, which nobody writes
// to, and drop the decoded events with the page. Warning: a Batch or apply func that keeps a decoded string
// past its page (a cache, a map across batches) keeps the whole block of the store's read that holds it
// (the PostgreSQL store's blocks hold 256 KiB, or one larger payload) in memory, personal data included;
// copy the string (strings.Clone) before keeping it.
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
				if decoded[i], errs[part] = decodeEventAs(registry, events[i], true); errs[part] != nil {
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
