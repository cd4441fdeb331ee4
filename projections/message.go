package projections

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// Metadata keys of the watermill messages the Subscriber produces. The payload is the event's JSON data and
// the message UUID is the event id.
//
// Warning: handlers outside this package (middleware, logging) may read these keys; renaming one breaks them.
const (
	MetadataStream          = "pelcro_stream"
	MetadataRevision        = "pelcro_revision"
	MetadataPositionCommit  = "pelcro_position_commit"
	MetadataPositionPrepare = "pelcro_position_prepare"
	MetadataEventType       = "pelcro_event_type"
	MetadataEventMetadata   = "pelcro_event_metadata"
	MetadataCreated         = "pelcro_created"
)

// batchKey is the context key under which a message of several events carries all of them.
type batchKey struct{}

// newMessage turns recorded events, in log order, into one watermill message whose context is a child of
// ctx. The message's UUID, payload and metadata are the first event's, so middleware and logs that read one
// event keep working; a message of several events also carries all of them in its context (eventsOf). The
// returned cancel ends that context; the Subscriber calls it once the message is acknowledged either way, as
// watermill's Subscriber contract asks.
func newMessage(ctx context.Context, events []eventstore.RecordedEvent) (*message.Message, context.CancelFunc) {
	ev := events[0]
	msg := message.NewMessage(ev.ID.String(), message.Payload(ev.Data))
	msg.Metadata.Set(MetadataStream, ev.StreamID)
	msg.Metadata.Set(MetadataRevision, strconv.FormatUint(ev.Revision, 10))
	msg.Metadata.Set(MetadataPositionCommit, strconv.FormatUint(ev.Position.Commit, 10))
	msg.Metadata.Set(MetadataPositionPrepare, strconv.FormatUint(ev.Position.Prepare, 10))
	msg.Metadata.Set(MetadataEventType, ev.Type)
	msg.Metadata.Set(MetadataEventMetadata, string(ev.Metadata))
	msg.Metadata.Set(MetadataCreated, ev.Created.UTC().Format(time.RFC3339Nano))
	msgCtx, cancel := context.WithCancel(ctx)
	if len(events) > 1 {
		msgCtx = context.WithValue(msgCtx, batchKey{}, events)
	}
	msg.SetContext(msgCtx)
	return msg, cancel
}

// eventsOf returns the events a message carries, in log order: the batch in its context, or the one event
// its metadata describes.
func eventsOf(msg *message.Message) ([]eventstore.RecordedEvent, error) {
	if events, ok := msg.Context().Value(batchKey{}).([]eventstore.RecordedEvent); ok {
		return events, nil
	}
	ev, err := recordFromMessage(msg)
	if err != nil {
		return nil, err
	}
	return []eventstore.RecordedEvent{ev}, nil
}

// recordFromMessage is the inverse of newMessage: it restores the recorded event a message carries.
func recordFromMessage(msg *message.Message) (eventstore.RecordedEvent, error) {
	id, err := uuid.Parse(msg.UUID)
	if err != nil {
		return eventstore.RecordedEvent{}, fmt.Errorf("projections: message id %q: %w", msg.UUID, err)
	}
	ev := eventstore.RecordedEvent{
		ID:       id,
		StreamID: msg.Metadata.Get(MetadataStream),
		Type:     msg.Metadata.Get(MetadataEventType),
		Data:     msg.Payload,
	}
	if raw := msg.Metadata.Get(MetadataEventMetadata); raw != "" {
		ev.Metadata = []byte(raw)
	}
	numbers := []struct {
		key  string
		into *uint64
	}{
		{MetadataRevision, &ev.Revision},
		{MetadataPositionCommit, &ev.Position.Commit},
		{MetadataPositionPrepare, &ev.Position.Prepare},
	}
	for _, n := range numbers {
		if *n.into, err = strconv.ParseUint(msg.Metadata.Get(n.key), 10, 64); err != nil {
			return eventstore.RecordedEvent{}, fmt.Errorf("projections: message %s metadata %s: %w", msg.UUID, n.key, err)
		}
	}
	if ev.Created, err = time.Parse(time.RFC3339Nano, msg.Metadata.Get(MetadataCreated)); err != nil {
		return eventstore.RecordedEvent{}, fmt.Errorf("projections: message %s metadata %s: %w", msg.UUID, MetadataCreated, err)
	}
	return ev, nil
}
