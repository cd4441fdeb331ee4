package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// side is one stream's part of a command that writes several streams in one commit (handleSides): each
// side loads and decides on its own stream as handleState does, and their appends go to the store together.
type side interface {
	// streamName is the side's stream.
	streamName() string
	// prepare loads the stream (the first attempt's history, the state cache, or the log when fresh) and
	// decides on it: the append the side asks for, nil when it has nothing to write.
	prepare(ctx context.Context, store eventstore.Store, fresh bool) (*eventstore.StreamAppend, error)
	// decidedUnread reports whether the last prepare decided on the state cache alone.
	decidedUnread() bool
	// appended folds the decided events in once their append landed at res.
	appended(store eventstore.Store, res eventstore.AppendResult)
}

// streamSide is a side over one aggregate's stream. done is where the command left the stream, once
// handleSides returned without error.
type streamSide[S, E any] struct {
	agg    Aggregate[S, E]
	stream string
	env    Envelope
	// loaded is what the first attempt decides on when set (see handleLoaded); nil: the cache or the log.
	loaded *history[S]
	// pinned, when set, is the only revision the side may decide on (errSnapshotMoved otherwise): the
	// revision of the state another side was built from.
	pinned *uint64
	decide func(S) ([]E, error)

	h      history[S]
	events []E
	data   []eventstore.EventData
	done   handled[S]
}

// errSnapshotMoved refuses a side pinned to a revision its stream no longer stands at: another side was
// built from the state at that revision (a renewal's invoice from the subscription), so deciding on a later
// one would write the sides out of step. The caller falls back to commands that read each stream anew.
var errSnapshotMoved = errors.New("commands: the stream moved on from the state the other sides were built from")

// newSide is the side of the aggregate with the given id: decide, run with env's command id.
func newSide[S, E any](agg Aggregate[S, E], id string, env Envelope, decide func(S) ([]E, error)) *streamSide[S, E] {
	return &streamSide[S, E]{agg: agg, stream: agg.StreamPrefix + id, env: env, decide: decide}
}

func (s *streamSide[S, E]) prepare(ctx context.Context, store eventstore.Store, fresh bool) (*eventstore.StreamAppend, error) {
	if s.env.CommandID == "" {
		return nil, ErrMissingCommandID
	}
	loaded := s.loaded
	s.loaded = nil
	if !fresh && loaded == nil && s.env.decidesOnCache() {
		loaded = fromCache[S](store, s.stream, s.env.CommandID)
	}
	if fresh || loaded == nil {
		h, err := load(ctx, store, s.agg, s.stream, s.env.CommandID)
		if err != nil {
			return nil, err
		}
		loaded = &h
	}
	s.h, s.events, s.data = *loaded, nil, nil
	if s.pinned != nil && s.h.landed == nil && s.h.last.Revision != *s.pinned {
		return nil, errSnapshotMoved
	}
	events, data, done, err := decideOn(s.h, s.agg, s.stream, s.env, s.decide)
	s.events, s.data, s.done = events, data, done
	if err != nil || len(events) == 0 {
		return nil, err
	}
	return &eventstore.StreamAppend{Stream: s.stream, Expected: s.h.expected(), Events: s.data}, nil
}

func (s *streamSide[S, E]) streamName() string { return s.stream }

func (s *streamSide[S, E]) decidedUnread() bool { return s.h.unread }

func (s *streamSide[S, E]) appended(store eventstore.Store, res eventstore.AppendResult) {
	after := afterAppend(s.h, s.agg.Evolve, s.events, s.data, res)
	states.put(store, s.stream, after.cached())
	s.done = handled[S]{Result: after.last, state: after.state}
}

// handleSides runs a command over several streams as handleState runs one over a stream, and appends what
// every side decided in one eventstore.AppendMulti: one commit on a store that can, all or nothing. A side
// whose expected revision failed makes the whole attempt lose and run again (up to MaxAttempts); a side
// decided on the state cache that refused, had nothing to do or found its stream moved on sends every side
// back to the log at once, as handleState does for one.
//
// Warning: on a store without eventstore.MultiAppender the sides are appended one after another, so a crash
// can leave the first written without the next. That is safe only while each side's decision is one its
// stream would still take alone on a rerun (the first side is then found landed by its event ids and the
// next decides again): keep side decisions independent of whether the other sides landed.
func handleSides(ctx context.Context, store eventstore.Store, sides ...side) error {
	names := make([]string, len(sides))
	for i, s := range sides {
		names[i] = s.streamName()
	}
	first := true
	_, err := retryLost(ctx, strings.Join(names, "+"), func() (struct{}, bool, error) {
		lost, err := attemptSides(ctx, store, sides, !first)
		if first && errors.Is(err, errUnconfirmed) {
			lost, err = attemptSides(ctx, store, sides, true)
		}
		first = false
		return struct{}{}, lost, err
	})
	return err
}

// attemptSides is one load → decide → append cycle of every side. lost reports an expected revision that
// failed on a side decided on the log (err is then the store's *WrongExpectedVersionError).
func attemptSides(ctx context.Context, store eventstore.Store, sides []side, fresh bool) (lost bool, err error) {
	var appends []eventstore.StreamAppend
	var owners []side
	for _, s := range sides {
		a, err := s.prepare(ctx, store, fresh)
		if err != nil {
			return false, err
		}
		if a != nil {
			appends, owners = append(appends, *a), append(owners, s)
		}
	}
	if len(appends) == 0 {
		return false, nil
	}
	results, err := eventstore.AppendMulti(ctx, store, appends)
	if wrong, ok := errors.AsType[*eventstore.WrongExpectedVersionError](err); ok {
		for i, a := range appends {
			if a.Stream == wrong.Stream && owners[i].decidedUnread() {
				return false, errUnconfirmed
			}
		}
		return true, err
	}
	if err != nil {
		return false, fmt.Errorf("commands: append to %d streams: %w", len(appends), err)
	}
	for i, s := range owners {
		s.appended(store, results[i])
	}
	return false, nil
}
