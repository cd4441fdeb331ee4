package commands

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// readPageSize bounds one ReadStream call, so a long stream is loaded in pages instead of one huge result.
const readPageSize = 512

// history is an aggregate's stream folded into state, as one attempt of a command sees it.
type history[S any] struct {
	state S
	// exists is false when the stream has no events: the command creates the aggregate.
	exists bool
	// last is where the stream's last event stands; meaningful only when exists.
	last Result
	// landed is set when the stream already holds the events of this very command (an earlier attempt whose
	// acknowledgement was lost): it tells where the last of them stands.
	landed *Result
	// lastID and recent are what the state cache keeps besides the state (see cachedHistory).
	lastID uuid.UUID
	recent []landedEvent
	// unread is set when the history is the state cache's alone, the stream's tail not read (fromCache).
	unread bool
}

// cached is the history as the state cache keeps it.
func (h history[S]) cached() cachedHistory {
	return cachedHistory{state: h.state, last: h.last, lastID: h.lastID, recent: h.recent}
}

// afterAppend is the history once the decided events were appended as data, at res: what the next command
// on the stream would fold, so it need not read them back. Every event gets the append's position (the
// store reports only the last one's); the landed-command check only ever answers with the last.
func afterAppend[S, E any](h history[S], evolve func(S, E) S, events []E, data []eventstore.EventData,
	res eventstore.AppendResult) history[S] {
	first := res.NextRevision + 1 - uint64(len(events))
	recent := append([]landedEvent{}, h.recent...)
	for i, e := range events {
		h.state = evolve(h.state, e)
		recent = append(recent, landedEvent{id: data[i].ID, result: Result{Revision: first + uint64(i), Position: res.Position}})
	}
	h.recent = recent[max(0, len(recent)-recentIDs):]
	h.exists, h.lastID = true, data[len(data)-1].ID
	h.last = Result{Revision: res.NextRevision, Position: res.Position}
	return h
}

// expected is the append condition that holds only if nobody wrote after this history was read.
func (h history[S]) expected() eventstore.ExpectedRevision {
	if !h.exists {
		return eventstore.NoStream()
	}
	return eventstore.Exact(h.last.Revision)
}

// load folds a stream with the aggregate's Evolve. It starts from the process's cached state of the stream
// (states) when there is one and reads only the events after it; otherwise it reads the whole stream forwards
// in pages. It watches for the ids this command derives (EventID(stream, commandID, 0), 1, …) among the last
// events it knows and the ones it reads, so a command that already landed is recognised instead of decided
// again.
func load[S, E any](ctx context.Context, store eventstore.Store, agg Aggregate[S, E], stream, commandID string) (history[S], error) {
	cached, ok := states.get(store, stream)
	if ok {
		if _, isS := cached.state.(S); !isS {
			ok = false // another aggregate type under the same stream name: never trust it
		}
	}
	h, err := loadAfter(ctx, store, agg, stream, commandID, cached, ok)
	if errors.Is(err, errStaleCache) {
		states.drop(store, stream)
		return loadAfter(ctx, store, agg, stream, commandID, cachedHistory{}, false)
	}
	return h, err
}

// errStaleCache means the store no longer holds the cached prefix of a stream where the cache says (a
// database restored from a backup, a test that recreated its store): the stream is folded from its start.
var errStaleCache = errors.New("commands: cached state does not match the stream")

// loadAfter folds the stream on top of cached (when useCache), reading from the cached last revision, which
// must still hold the cached event, on.
func loadAfter[S, E any](ctx context.Context, store eventstore.Store, agg Aggregate[S, E], stream, commandID string,
	cached cachedHistory, useCache bool) (history[S], error) {
	var h history[S]
	from := uint64(0)
	own := landedWatch{stream: stream, commandID: commandID}
	h.recent = []landedEvent{}
	if useCache {
		h, own = seeded[S](stream, commandID, cached)
		from = cached.last.Revision
	}
	for first := useCache; ; first = false {
		page, err := readTail(ctx, store, stream, from)
		if errors.Is(err, eventstore.ErrStreamNotFound) && !useCache {
			return h, nil
		}
		if errors.Is(err, eventstore.ErrStreamNotFound) {
			return h, errStaleCache
		}
		if err != nil {
			return h, fmt.Errorf("commands: read %s from revision %d: %w", stream, from, err)
		}
		if first {
			if len(page) == 0 || page[0].Revision != cached.last.Revision || page[0].ID != cached.lastID {
				return h, errStaleCache
			}
			page = page[1:] // folded already
		}
		for _, recorded := range page {
			event, err := decode[E](agg.Registry, recorded)
			if err != nil {
				return h, err
			}
			h.state = agg.Evolve(h.state, event)
			h.exists = true
			h.last = Result{Revision: recorded.Revision, Position: recorded.Position}
			h.lastID = recorded.ID
			e := landedEvent{id: recorded.ID, result: h.last}
			own.see(e)
			if h.recent = append(h.recent, e); len(h.recent) > recentIDs {
				h.recent = h.recent[1:]
			}
		}
		if len(page)+boolToInt(first) < readPageSize {
			break
		}
		from = h.last.Revision + 1
	}
	h.landed = own.landed
	if h.exists {
		states.put(store, stream, h.cached())
	}
	return h, nil
}

// seeded is the history the cache holds for stream, with the landed-command watch fed its recent events.
func seeded[S any](stream, commandID string, cached cachedHistory) (history[S], landedWatch) {
	h := history[S]{state: cached.state.(S), exists: true, last: cached.last, lastID: cached.lastID,
		recent: append([]landedEvent{}, cached.recent...)}
	own := landedWatch{stream: stream, commandID: commandID}
	for _, e := range h.recent {
		own.see(e)
	}
	return h, own
}

// fromCache is the stream as this process last folded it, without reading the store (nil when the cache
// holds no state of this aggregate for it): what a command's first attempt decides on (see handleState).
// The cache may be behind the log when another process wrote since; the append, which expects the cached
// revision, then fails and the command reads the tail. A landed command it recognises is one this process
// saw appended or read.
func fromCache[S any](store eventstore.Store, stream, commandID string) *history[S] {
	cached, ok := states.get(store, stream)
	if !ok {
		return nil
	}
	if _, isS := cached.state.(S); !isS {
		return nil
	}
	h, own := seeded[S](stream, commandID, cached)
	h.landed, h.unread = own.landed, true
	return &h
}

// loadFirst is the history a command's first attempt decides on: the state cache alone for a command every
// process decides alike or one with a new id (Envelope.decidesOnCache, fromCache), else the stream read (load).
func loadFirst[S, E any](ctx context.Context, store eventstore.Store, agg Aggregate[S, E], stream string, env Envelope) (history[S], error) {
	if env.decidesOnCache() {
		if h := fromCache[S](store, stream, env.CommandID); h != nil {
			return *h, nil
		}
	}
	return load(ctx, store, agg, stream, env.CommandID)
}

// boolToInt is 1 for true: the cached event a tail read starts with counts towards a full page.
func boolToInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// landedWatch recognises the events a command wrote, in the order it wrote them: EventID(stream, commandID,
// 0), then 1, and so on. landed is where the last of them stands.
type landedWatch struct {
	stream, commandID string
	next              int
	want              uuid.UUID // EventID(stream, commandID, next), computed when next changes
	landed            *Result
}

func (w *landedWatch) see(e landedEvent) {
	if w.commandID == "" {
		return
	}
	if w.want == uuid.Nil {
		w.want = EventID(w.stream, w.commandID, w.next)
	}
	if e.id != w.want {
		return
	}
	result := e.result
	w.landed = &result
	w.next++
	w.want = EventID(w.stream, w.commandID, w.next)
}

// decode turns a recorded event into the aggregate's event type, upcast to its newest shape.
func decode[E any](registry *aggregates.Registry, recorded eventstore.RecordedEvent) (E, error) {
	var zero E
	md, err := aggregates.ParseMetadata(recorded.Metadata)
	if err != nil {
		return zero, fmt.Errorf("commands: %s@%d: %w", recorded.StreamID, recorded.Revision, err)
	}
	value, err := registry.Decode(recorded.Type, md.SchemaVersion, recorded.Data)
	if err != nil {
		return zero, fmt.Errorf("commands: %s@%d: %w", recorded.StreamID, recorded.Revision, err)
	}
	event, ok := value.(E)
	if !ok {
		return zero, fmt.Errorf("commands: %s@%d: %q decodes to %T, which is not an event of this aggregate",
			recorded.StreamID, recorded.Revision, recorded.Type, value)
	}
	return event, nil
}

// stateAt folds a stream up to and including revision: the aggregate as a given command left it.
func stateAt[S, E any](ctx context.Context, store eventstore.Store, agg Aggregate[S, E], stream string, revision uint64) (S, error) {
	var s S
	recorded, err := store.ReadStream(ctx, stream, eventstore.Forwards, eventstore.StreamStart(), int(revision)+1)
	if err != nil {
		return s, err
	}
	for _, r := range recorded {
		e, err := decode[E](agg.Registry, r)
		if err != nil {
			return s, err
		}
		s = agg.Evolve(s, e)
	}
	return s, nil
}
