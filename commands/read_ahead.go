package commands

import (
	"context"
	"sync"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// readAhead holds stream tails read in one round trip before the loads that fold them (withTailsRead):
// each tail is handed to the first load of its stream that starts where the tail does, once.
type readAhead struct {
	mu    sync.Mutex
	tails map[cacheKey]aheadTail
}

// aheadTail is a stream's events from revision from on, as load's first read would have returned them.
type aheadTail struct {
	from   uint64
	events []eventstore.RecordedEvent
}

type readAheadKey struct{}

// withTailsRead reads the tails the next load of each stream would read (from its cached revision, or
// the start) in one round trip, when store can (eventstore.StreamsReader), and returns ctx carrying them:
// the first load of each stream under that ctx folds its tail instead of reading it. Otherwise, for a
// single stream (one statement either way), or on a failed read, ctx is returned as it was and the loads
// read as usual.
//
// A tail folded later is exactly what a read at withTailsRead's moment returned: as fresh as load's own
// read for a command that could have run a moment earlier, and an append still expects the revision it
// folded, so a write in between makes it lose and read again.
//
// Warning: pass the returned ctx only to the reads of the step that asked for the tails, never to the
// rest of a command. A load after this request's own append to one of the streams would fold the tail
// from before it when the state cache no longer held the stream (the tail starts where that load does:
// from 0), and miss the request's own write.
func withTailsRead(ctx context.Context, store eventstore.Store, streams ...string) context.Context {
	if _, ok := store.(eventstore.StreamsReader); !ok || len(streams) < 2 {
		return ctx
	}
	reads := make([]eventstore.StreamRead, len(streams))
	for i, stream := range streams {
		reads[i] = eventstore.StreamRead{Stream: stream, Limit: readPageSize}
		if cached, ok := states.get(store, stream); ok {
			reads[i].From = cached.last.Revision
		}
	}
	tails, err := eventstore.ReadStreams(ctx, store, reads)
	if err != nil {
		return ctx // the loads will read, and report the failure if it lasts
	}
	ahead := &readAhead{tails: make(map[cacheKey]aheadTail, len(streams))}
	for i, r := range reads {
		ahead.tails[cacheKey{store, r.Stream}] = aheadTail{from: r.From, events: tails[i]}
	}
	return context.WithValue(ctx, readAheadKey{}, ahead)
}

// readTail is the first page of stream from revision from: the tail withTailsRead read for it when ctx
// carries one starting there (handed out once), else read now.
func readTail(ctx context.Context, store eventstore.Store, stream string, from uint64) ([]eventstore.RecordedEvent, error) {
	if ahead, ok := ctx.Value(readAheadKey{}).(*readAhead); ok {
		if events, ok := ahead.take(cacheKey{store, stream}, from); ok {
			return events, nil
		}
	}
	return store.ReadStream(ctx, stream, eventstore.Forwards, eventstore.StreamRevision(from), readPageSize)
}

// take hands out the tail of key when it starts at from, and forgets it either way: only the first load of
// a stream may fold it, and a second one (a retry after a lost append, a claim after its lookup) must read
// the store.
func (a *readAhead) take(key cacheKey, from uint64) ([]eventstore.RecordedEvent, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	tail, ok := a.tails[key]
	delete(a.tails, key)
	if !ok || tail.from != from {
		return nil, false
	}
	return tail.events, true
}
