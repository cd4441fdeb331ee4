package esdb

import (
	"context"
	"errors"
	"fmt"

	esdbclient "github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// Append implements eventstore.Store. The expected revision is checked by the node; a conflict becomes a
// *eventstore.WrongExpectedVersionError whose Actual is read back from the stream, because the client only
// reports it as text. Event ids are sent as they are, so a real node acknowledges a retried append instead
// of writing it twice.
//
// Warning: an append without events to a missing stream succeeds with NextRevision 1 (or 0), a client quirk
// indistinguishable from a real revision; do not rely on the result of an empty append.
func (s *Store) Append(ctx context.Context, stream string, expected eventstore.ExpectedRevision, events ...eventstore.EventData) (eventstore.AppendResult, error) {
	proposed := make([]esdbclient.EventData, len(events))
	for i, event := range events {
		proposed[i] = toClientEvent(event)
	}
	var written *esdbclient.WriteResult
	err := s.withClient(ctx, func(ctx context.Context, client *esdbclient.Client) error {
		var err error
		written, err = client.AppendToStream(ctx, stream, esdbclient.AppendToStreamOptions{ExpectedRevision: toClientExpected(expected)}, proposed...)
		return err
	})
	if hasErrorCode(err, esdbclient.ErrorCodeWrongExpectedVersion) {
		return eventstore.AppendResult{}, s.wrongExpectedVersion(ctx, stream, expected)
	}
	if err != nil {
		return eventstore.AppendResult{}, fmt.Errorf("esdb: append to %q: %w", stream, err)
	}
	return eventstore.AppendResult{
		NextRevision: written.NextExpectedVersion,
		Position:     eventstore.Position{Commit: written.CommitPosition, Prepare: written.PreparePosition},
	}, nil
}

// wrongExpectedVersion builds the conflict error, reading the stream's last revision for Actual. The read
// happens after the conflict, so Actual may already be newer than what the node compared against; callers
// only use it to reload, which is what they would do anyway.
func (s *Store) wrongExpectedVersion(ctx context.Context, stream string, expected eventstore.ExpectedRevision) error {
	actual, err := s.lastRevision(ctx, stream)
	if err != nil {
		return fmt.Errorf("esdb: append to %q: %w (reading the actual revision: %v)", stream, eventstore.ErrWrongExpectedVersion, err)
	}
	return &eventstore.WrongExpectedVersionError{Stream: stream, Expected: expected, Actual: actual}
}

// lastRevision returns the revision of the stream's last event, nil when the stream has none.
func (s *Store) lastRevision(ctx context.Context, stream string) (*uint64, error) {
	last, err := s.ReadStream(ctx, stream, eventstore.Backwards, eventstore.StreamEnd(), 1)
	if errors.Is(err, eventstore.ErrStreamNotFound) || (err == nil && len(last) == 0) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &last[0].Revision, nil
}
