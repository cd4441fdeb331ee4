package esdb

import (
	"context"
	"errors"
	"fmt"
	"io"

	esdbclient "github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// allPageSizeLimit bounds one ReadAll request; ReadAll pages on when system events or the exclusive start
// leave fewer events than asked for.
const allPageSizeLimit = 4096

// errNonPositiveLimit refuses reads asking for no events: that is a caller's bug, and the client would
// read a zero count as "no limit".
var errNonPositiveLimit = errors.New("limit must be positive")

// ReadStream implements eventstore.Store. A revision start is inclusive in both directions.
func (s *Store) ReadStream(ctx context.Context, stream string, direction eventstore.Direction, from eventstore.StreamFrom, limit int) ([]eventstore.RecordedEvent, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("esdb: read stream %q with limit %d: %w", stream, limit, errNonPositiveLimit)
	}
	options := esdbclient.ReadStreamOptions{Direction: toClientDirection(direction), From: toClientStreamFrom(from)}
	var events []eventstore.RecordedEvent
	err := s.withClient(ctx, func(ctx context.Context, client *esdbclient.Client) error {
		read, err := client.ReadStream(ctx, stream, options, uint64(limit))
		if err != nil {
			return err
		}
		events, err = collect(read)
		return err
	})
	if hasErrorCode(err, esdbclient.ErrorCodeResourceNotFound) {
		return nil, eventstore.ErrStreamNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("esdb: read stream %q: %w", stream, err)
	}
	return events, nil
}

// ReadAll implements eventstore.Store. The client reads $all forwards from a position inclusively, so the
// event sitting exactly at the start position is dropped; system events are dropped too, and pages are
// read until limit events were kept or the log ends.
func (s *Store) ReadAll(ctx context.Context, from eventstore.AllFrom, limit int) ([]eventstore.RecordedEvent, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("esdb: read $all with limit %d: %w", limit, errNonPositiveLimit)
	}
	if from.IsEnd() {
		return []eventstore.RecordedEvent{}, nil
	}
	after, hasAfter := from.Position()
	pageSize := min(limit+1, allPageSizeLimit)
	var kept []eventstore.RecordedEvent
	for {
		options := esdbclient.ReadAllOptions{Direction: esdbclient.Forwards, From: esdbclient.Start{}}
		if hasAfter {
			options.From = toClientPosition(after)
		}
		var page []eventstore.RecordedEvent
		err := s.withClient(ctx, func(ctx context.Context, client *esdbclient.Client) error {
			read, err := client.ReadAll(ctx, options, uint64(pageSize))
			if err != nil {
				return err
			}
			page, err = collect(read)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("esdb: read $all: %w", err)
		}
		for _, event := range page {
			if hasAfter && event.Position.Compare(after) <= 0 {
				continue
			}
			after, hasAfter = event.Position, true
			if eventstore.IsSystemStream(event.StreamID) {
				continue
			}
			kept = append(kept, event)
			if len(kept) == limit {
				return kept, nil
			}
		}
		if len(page) < pageSize {
			return kept, nil
		}
	}
}

// endOfLog returns where a subscription from AllEnd starts: after the last event of $all, system events
// included, or at the start of an empty log. Resolving the end once, up front, is what lets a subscription
// that drops before its first event resume without losing the events written meanwhile.
func (s *Store) endOfLog(ctx context.Context) (eventstore.AllFrom, error) {
	var last []eventstore.RecordedEvent
	err := s.withClient(ctx, func(ctx context.Context, client *esdbclient.Client) error {
		read, err := client.ReadAll(ctx, esdbclient.ReadAllOptions{Direction: esdbclient.Backwards, From: esdbclient.End{}}, 1)
		if err != nil {
			return err
		}
		last, err = collect(read)
		return err
	})
	if err != nil {
		return eventstore.AllFrom{}, fmt.Errorf("find the end of $all: %w", err)
	}
	if len(last) == 0 {
		return eventstore.AllStart(), nil
	}
	return eventstore.AllAfter(last[0].Position), nil
}

// collect drains a read, closing it, and converts its events. The read runs under the call's context, so a
// deadline or cancellation ends Recv (withClient then reports the context's error).
func collect(read *esdbclient.ReadStream) ([]eventstore.RecordedEvent, error) {
	defer read.Close()
	var events []eventstore.RecordedEvent
	for {
		resolved, err := read.Recv()
		if errors.Is(err, io.EOF) {
			return events, nil
		}
		if err != nil {
			return nil, err
		}
		events = append(events, fromResolvedEvent(resolved))
	}
}

func toClientDirection(direction eventstore.Direction) esdbclient.Direction {
	if direction == eventstore.Backwards {
		return esdbclient.Backwards
	}
	return esdbclient.Forwards
}

// toClientStreamFrom maps a stream start. StreamStart is revision 0, sent as such: inclusive both ways.
func toClientStreamFrom(from eventstore.StreamFrom) esdbclient.StreamPosition {
	if revision, end := from.Revision(); !end {
		return esdbclient.Revision(revision)
	}
	return esdbclient.End{}
}
