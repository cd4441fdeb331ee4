package esdb

import (
	"errors"

	esdbclient "github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// errorCode returns the client's error code when err carries an *esdbclient.Error. Subscription drops do
// not: they carry raw gRPC errors.
func errorCode(err error) (esdbclient.ErrorCode, bool) {
	var clientErr *esdbclient.Error
	if errors.As(err, &clientErr) {
		return clientErr.Code(), true
	}
	return 0, false
}

// hasErrorCode reports whether err is an *esdbclient.Error with the given code.
func hasErrorCode(err error, code esdbclient.ErrorCode) bool {
	got, ok := errorCode(err)
	return ok && got == code
}

// toClientExpected maps the port's expected revision onto the client's.
func toClientExpected(expected eventstore.ExpectedRevision) esdbclient.ExpectedRevision {
	if revision, ok := expected.Exact(); ok {
		return esdbclient.Revision(revision)
	}
	switch {
	case expected.IsNoStream():
		return esdbclient.NoStream{}
	case expected.IsStreamExists():
		return esdbclient.StreamExists{}
	}
	return esdbclient.Any{}
}

// toClientEvent keeps the event id, so a real node recognises a retried append and does not write twice.
func toClientEvent(event eventstore.EventData) esdbclient.EventData {
	return esdbclient.EventData{
		EventID:     event.ID,
		EventType:   event.Type,
		ContentType: esdbclient.ContentTypeJson,
		Data:        event.Data,
		Metadata:    event.Metadata,
	}
}

// toClientPosition and fromClientPosition translate global positions; both fields are kept as they are.
func toClientPosition(p eventstore.Position) esdbclient.Position {
	return esdbclient.Position{Commit: p.Commit, Prepare: p.Prepare}
}

func fromClientPosition(p esdbclient.Position) eventstore.Position {
	return eventstore.Position{Commit: p.Commit, Prepare: p.Prepare}
}

// fromResolvedEvent converts what a read or subscription returned. Links are never resolved, so the
// original event is the recorded event itself.
func fromResolvedEvent(resolved *esdbclient.ResolvedEvent) eventstore.RecordedEvent {
	event := resolved.OriginalEvent()
	return eventstore.RecordedEvent{
		ID:       event.EventID,
		StreamID: event.StreamID,
		Revision: event.EventNumber,
		Position: fromClientPosition(event.Position),
		Type:     event.EventType,
		Data:     event.Data,
		Metadata: nilIfEmpty(event.UserMetadata),
		Created:  event.CreatedDate,
	}
}

// nilIfEmpty makes "no metadata" read back as nil, whatever the client decoded it to.
func nilIfEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}
