package esdbtest

import (
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/google/uuid"
)

// Metadata keys a real node puts on every recorded event. The client reads
// all three; a missing or non-numeric "created" makes it call log.Fatalf.
const (
	metadataType        = "type"
	metadataContentType = "content-type"
	metadataCreated     = "created"
)

// uuidFromProto accepts both wire forms of an event id.
func uuidFromProto(id *shared.UUID) (uuid.UUID, error) {
	if s := id.GetStructured(); s != nil {
		var b [16]byte
		binary.BigEndian.PutUint64(b[:8], uint64(s.GetMostSignificantBits()))
		binary.BigEndian.PutUint64(b[8:], uint64(s.GetLeastSignificantBits()))
		return uuid.UUID(b), nil
	}
	return uuid.Parse(id.GetString_())
}

// uuidToProto writes an id in the form the reader asked for.
func uuidToProto(id uuid.UUID, asString bool) *shared.UUID {
	if asString {
		return &shared.UUID{Value: &shared.UUID_String_{String_: id.String()}}
	}
	return &shared.UUID{Value: &shared.UUID_Structured_{Structured: &shared.UUID_Structured{
		MostSignificantBits:  int64(binary.BigEndian.Uint64(id[:8])),
		LeastSignificantBits: int64(binary.BigEndian.Uint64(id[8:])),
	}}}
}

// streamIdentifier wraps a stream name the way the protocol carries it.
func streamIdentifier(name string) *shared.StreamIdentifier {
	return &shared.StreamIdentifier{StreamName: []byte(name)}
}

// proposalFromProto validates one proposed message: like a real node, it
// requires the "type" and "content-type" metadata.
func proposalFromProto(m *streams.AppendReq_ProposedMessage) (proposal, error) {
	id, err := uuidFromProto(m.GetId())
	if err != nil {
		return proposal{}, fmt.Errorf("invalid event id: %w", err)
	}
	for _, key := range []string{metadataType, metadataContentType} {
		if _, ok := m.GetMetadata()[key]; !ok {
			return proposal{}, fmt.Errorf("required metadata property %q is missing", key)
		}
	}
	return proposal{
		id:             id,
		eventType:      m.GetMetadata()[metadataType],
		contentType:    m.GetMetadata()[metadataContentType],
		customMetadata: m.GetCustomMetadata(),
		data:           m.GetData(),
	}, nil
}

// eventResponse renders a record as a read or subscription message. The
// position is always filled, as on nodes from 22.6 on.
func eventResponse(r *record, idsAsStrings bool) *streams.ReadResp {
	return &streams.ReadResp{Content: &streams.ReadResp_Event{Event: &streams.ReadResp_ReadEvent{
		Event: &streams.ReadResp_ReadEvent_RecordedEvent{
			Id:               uuidToProto(r.id, idsAsStrings),
			StreamIdentifier: streamIdentifier(r.stream),
			StreamRevision:   r.revision,
			PreparePosition:  r.position,
			CommitPosition:   r.position,
			Metadata: map[string]string{
				metadataType:        r.eventType,
				metadataContentType: r.contentType,
				metadataCreated:     strconv.FormatInt(r.createdTicks, 10),
			},
			CustomMetadata: r.customMetadata,
			Data:           r.data,
		},
		Position: &streams.ReadResp_ReadEvent_CommitPosition{CommitPosition: r.position},
	}}}
}
