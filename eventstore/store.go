// Package eventstore defines the event store port used by commands and projections, and holds its
// adapters in sub-packages: postgres (the embedded default), esdb (EventStoreDB), esdbtest (a test-only
// EventStoreDB protocol server) and storetest (the contract suite every adapter must pass).
package eventstore

import (
	"context"
	"strings"
)

// Store is the event store port. Every adapter passes the storetest contract suite, so callers may rely on
// exactly the semantics documented here and nothing backend-specific.
type Store interface {
	// Append writes events atomically at the end of a stream when expected holds, else returns a
	// *WrongExpectedVersionError. Appending events whose ids the stream already holds at the expected place
	// succeeds without writing them again and returns the original result: retries are safe.
	Append(ctx context.Context, stream string, expected ExpectedRevision, events ...EventData) (AppendResult, error)

	// ReadStream returns up to limit events of one stream, starting at from (inclusive) in the given
	// direction. It returns ErrStreamNotFound when the stream has no events.
	ReadStream(ctx context.Context, stream string, direction Direction, from StreamFrom, limit int) ([]RecordedEvent, error)

	// ReadAll returns up to limit events of the global order that come strictly after from, oldest first.
	// System events (streams starting with "$") are never returned.
	ReadAll(ctx context.Context, from AllFrom, limit int) ([]RecordedEvent, error)

	// SubscribeAll delivers the events of the global order strictly after from: first those already
	// written (catch-up), then a CaughtUp message, then new ones as they are committed (live). Every
	// committed event is delivered exactly once and in position order; an event that commits later can
	// never be delivered before one already delivered. Dropped connections are resumed from the last
	// delivered position inside the adapter.
	SubscribeAll(ctx context.Context, from AllFrom, filter Filter) (Subscription, error)

	// Close releases the store's connections. Open subscriptions end.
	Close() error
}

// Subscription is a pull-based feed: the next message is produced only when asked for, so a slow consumer
// applies back-pressure instead of buffering without bound.
type Subscription interface {
	// Recv blocks until the next message, ctx ends or the subscription is closed.
	Recv(ctx context.Context) (SubscriptionMessage, error)
	// TryRecv returns the next message only when the subscription already holds it: it never waits for one
	// to arrive and never reads the log for it. ok is false when Recv would have to wait (or the subscription
	// ended). A consumer calls it after Recv to take what is ready into one batch; messages come in the same
	// order either way. Handing a held message over may still do work bounded by ctx (a wrapping store may
	// decrypt it); an error then ends the subscription like one from Recv.
	TryRecv(ctx context.Context) (msg SubscriptionMessage, ok bool, err error)
	// Close ends the subscription; Recv then returns an error.
	Close() error
}

// SubscriptionMessage is either an event or the signal that catch-up reached the head of the log.
type SubscriptionMessage struct {
	Event *RecordedEvent
	// CaughtUp is true (and Event nil) once every event written before the signal has been delivered.
	CaughtUp bool
}

// StreamFrom is where a stream read starts.
type StreamFrom struct {
	revision uint64
	end      bool
}

// StreamStart reads from the first event (forwards) or, backwards, finds nothing before it.
func StreamStart() StreamFrom { return StreamFrom{} }

// StreamEnd reads from the last event: backwards reads then return newest first.
func StreamEnd() StreamFrom { return StreamFrom{end: true} }

// StreamRevision reads from the given revision, inclusive.
func StreamRevision(r uint64) StreamFrom { return StreamFrom{revision: r} }

// Revision returns the starting revision and false, or 0 and true for StreamEnd.
func (f StreamFrom) Revision() (revision uint64, end bool) { return f.revision, f.end }

// AllFrom is where a read or subscription of the global order starts; it is exclusive of a position.
type AllFrom struct {
	position *Position
	end      bool
}

// AllStart starts before the first event.
func AllStart() AllFrom { return AllFrom{} }

// AllEnd starts after the last event written so far: only new events.
func AllEnd() AllFrom { return AllFrom{end: true} }

// AllAfter starts strictly after p, typically a persisted checkpoint.
func AllAfter(p Position) AllFrom { return AllFrom{position: &p} }

// Position returns the position to start after, and whether there is one (false for start and end).
func (f AllFrom) Position() (Position, bool) {
	if f.position == nil {
		return Position{}, false
	}
	return *f.position, true
}

// IsEnd reports whether the read starts at the end of the log.
func (f AllFrom) IsEnd() bool { return f.end }

// Filter selects the streams a subscription delivers. The zero value selects every non-system stream.
type Filter struct {
	// StreamPrefixes keeps events whose stream id starts with one of these; empty keeps all.
	StreamPrefixes []string
}

// Matches reports whether an event of the given stream passes the filter. System streams ("$…") never do.
func (f Filter) Matches(stream string) bool {
	if IsSystemStream(stream) {
		return false
	}
	if len(f.StreamPrefixes) == 0 {
		return true
	}
	for _, p := range f.StreamPrefixes {
		if strings.HasPrefix(stream, p) {
			return true
		}
	}
	return false
}

// IsSystemStream reports whether a stream belongs to the store itself (EventStoreDB's "$" streams).
func IsSystemStream(stream string) bool { return strings.HasPrefix(stream, "$") }
