package eventstore

import (
	"context"
	"errors"
)

// StreamRead is one stream's part of a multi-stream read: up to Limit events of Stream forwards from
// revision From, as ReadStream(ctx, Stream, Forwards, StreamRevision(From), Limit) reads them.
type StreamRead struct {
	Stream string
	From   uint64
	Limit  int
}

// StreamsReader is an optional capability of a Store: reading the tails of several streams in one round
// trip. A command that checks two aggregates before it writes (a subscription's customer and the
// customer's currency record) then pays one statement for both instead of one each. The tails need not be
// of one moment (PostgreSQL's one statement is; the ReadStreams fallback is not): callers must not rely on
// it, and an append expecting the revision it folded refuses a tail that has moved on.
//
// WARNING: as for MultiAppender, a wrapper that embeds a Store does NOT have this method unless it declares
// its own, and a wrapper that transforms what it reads (personaldata.Store opens sealed fields) must, or
// its callers would read what it never transformed. Callers must therefore only ever find the capability
// on the store they were given, never on one underneath it.
type StreamsReader interface {
	// ReadStreams returns, in the order of reads, each read's events as ReadStream would, except that a
	// stream with no event at or after From (including one that does not exist) gives an empty slice
	// rather than ErrStreamNotFound. A stream may appear more than once.
	ReadStreams(ctx context.Context, reads []StreamRead) ([][]RecordedEvent, error)
}

// ReadStreams reads the tails of several streams through store: in one round trip when the store is a
// StreamsReader, else one ReadStream per read, one stream after another (a write landing in between shows
// in the later reads only), with ErrStreamNotFound read as an empty tail.
func ReadStreams(ctx context.Context, store Store, reads []StreamRead) ([][]RecordedEvent, error) {
	if many, ok := store.(StreamsReader); ok {
		return many.ReadStreams(ctx, reads)
	}
	out := make([][]RecordedEvent, len(reads))
	for i, r := range reads {
		events, err := store.ReadStream(ctx, r.Stream, Forwards, StreamRevision(r.From), r.Limit)
		if errors.Is(err, ErrStreamNotFound) {
			events, err = []RecordedEvent{}, nil
		}
		if err != nil {
			return nil, err
		}
		out[i] = events
	}
	return out, nil
}
