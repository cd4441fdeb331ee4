package commands

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// MaxAttempts bounds how often Handle runs load → decide → append for one command when concurrent writers
// keep changing the stream. Past it, Handle gives up with an error matching
// eventstore.ErrWrongExpectedVersion (transport answers 409 Conflict): a stream that hot is a modelling
// problem retries cannot fix.
const MaxAttempts = 5

// retryBackoff is the least ceiling of the first retry's random pause; see pause.
const retryBackoff = 10 * time.Millisecond

// Handle runs one command against the aggregate with the given id: it loads and folds the stream, calls
// decide with the state, and appends the events decide returned, expecting the stream exactly as it was read
// (NoStream for a new aggregate). When another writer appended in between, it retries the whole cycle with a
// fresh state, up to MaxAttempts times.
//
// decide must be pure (it may run several times): guards first, returning a domain error (passed through
// unchanged, nothing appended) or the events to append. No events is an idempotent no-op: nothing is
// written and the Result describes the stream as it stands.
//
// The events get ids derived from env.CommandID (EventID) and metadata from env. When the stream already
// holds this command's events (a retry after a lost acknowledgement), decide is not run again and the
// original Result is returned.
func Handle[S, E any](ctx context.Context, store eventstore.Store, agg Aggregate[S, E], id string, env Envelope,
	decide func(S) ([]E, error)) (Result, error) {
	return handleLoaded(ctx, store, agg, id, env, nil, decide)
}

// handleLoaded is Handle whose first attempt decides on loaded, the stream as this command loaded it a
// moment before (nil: load it), for a command that must look at the aggregate before deciding (to claim a
// value in another stream first): the stream is then read once, not twice. It is as safe as Handle: the
// append still expects the revision loaded, so a writer that got in between makes the attempt lose, and the
// next attempt loads afresh.
//
// Warning: loaded must come from load with this command's id (env.CommandID), or a retry of a command that
// already landed is not recognised and is decided again.
func handleLoaded[S, E any](ctx context.Context, store eventstore.Store, agg Aggregate[S, E], id string, env Envelope,
	loaded *history[S], decide func(S) ([]E, error)) (Result, error) {
	done, err := handleState(ctx, store, agg, id, env, loaded, decide)
	return done.Result, err
}

// handled is where a command left the aggregate: the stream's last event and the state folded up to it.
// appended says this call appended the events its last decision returned (not a no-op, nor a command that
// had landed before), for a caller that acts on what was decided only once.
type handled[S any] struct {
	Result
	state    S
	appended bool
}

// handleState is handleLoaded that also returns the aggregate's state after the command (the decided
// events folded in, or the stream as it stood for a no-op or a command that had landed), for a process that
// acts on the aggregate again at once and need not read it back (the billing clock).
func handleState[S, E any](ctx context.Context, store eventstore.Store, agg Aggregate[S, E], id string, env Envelope,
	loaded *history[S], decide func(S) ([]E, error)) (handled[S], error) {
	if env.CommandID == "" {
		return handled[S]{}, ErrMissingCommandID
	}
	if id == "" {
		return handled[S]{}, ErrMissingAggregateID
	}
	stream := agg.StreamPrefix + id
	if loaded == nil && env.decidesOnCache() {
		loaded = fromCache[S](store, stream, env.CommandID)
	}
	return retryLost(ctx, stream, func() (handled[S], bool, error) {
		done, lost, err := attemptOnce(ctx, store, agg, stream, env, loaded, decide)
		if errors.Is(err, errUnconfirmed) {
			done, lost, err = attemptOnce(ctx, store, agg, stream, env, nil, decide)
		}
		loaded = nil
		return done, lost, err
	})
}

// errUnconfirmed is what an attempt deciding on the state cache alone (history.unread) answers when the
// log may say otherwise: decide refused or had nothing to do, or the append found the stream moved on. The
// attempt is then run again at once on the stream's tail, read from the store, and only its answer counts:
// a refusal or a no-op is always decided on the log, a success on the cache is one the append confirmed.
var errUnconfirmed = errors.New("commands: decided on a cached state the log may have passed")

// retryLost runs attempt, a read → append cycle on stream, again while it loses an optimistic-concurrency
// race (lost: err is then the store's *WrongExpectedVersionError), at most MaxAttempts times, pausing before
// each retry (pause). Past that it gives up with an error matching eventstore.ErrWrongExpectedVersion.
func retryLost[T any](ctx context.Context, stream string, attempt func() (T, bool, error)) (T, error) {
	var zero T
	var conflict error
	var cycle time.Duration
	for i := range MaxAttempts {
		if i > 0 {
			if err := pause(ctx, i, cycle); err != nil {
				return zero, fmt.Errorf("commands: %s: waiting to retry after %v: %w", stream, conflict, err)
			}
		}
		started := time.Now()
		result, lost, err := attempt()
		if !lost {
			return result, err
		}
		conflict, cycle = err, time.Since(started)
	}
	return zero, fmt.Errorf("commands: %s: gave up after %d attempts lost to concurrent writers: %w",
		stream, MaxAttempts, conflict)
}

// attemptOnce is one load → decide → append cycle, on loaded when it is given instead of a fresh load. lost
// reports that the append lost an optimistic-concurrency race (err is then the store's
// *WrongExpectedVersionError) and the cycle may run again.
func attemptOnce[S, E any](ctx context.Context, store eventstore.Store, agg Aggregate[S, E], stream string,
	env Envelope, loaded *history[S], decide func(S) ([]E, error)) (done handled[S], lost bool, err error) {
	if loaded == nil {
		h, err := load(ctx, store, agg, stream, env.CommandID)
		if err != nil {
			return handled[S]{}, false, err
		}
		loaded = &h
	}
	h := *loaded
	events, data, done, err := decideOn(h, agg, stream, env, decide)
	if err != nil {
		return handled[S]{}, false, err
	}
	if len(events) == 0 {
		return done, false, nil
	}
	appended, err := store.Append(ctx, stream, h.expected(), data...)
	if errors.Is(err, eventstore.ErrWrongExpectedVersion) && h.unread {
		return handled[S]{}, false, errUnconfirmed
	}
	if errors.Is(err, eventstore.ErrWrongExpectedVersion) {
		return handled[S]{}, true, err
	}
	if err != nil {
		return handled[S]{}, false, fmt.Errorf("commands: append to %s: %w", stream, err)
	}
	after := afterAppend(h, agg.Evolve, events, data, appended)
	states.put(store, stream, after.cached())
	return handled[S]{Result: after.last, state: after.state, appended: true}, false, nil
}

// decideOn is the decide half of a cycle, shared by attemptOnce and the sides of handleSides: on a history
// whose command already landed it returns that result; otherwise it runs decide and returns the events and
// their data to append, or done when there is nothing to append. A refusal or no-op decided on the state
// cache alone is errUnconfirmed: the caller must decide again on the log.
func decideOn[S, E any](h history[S], agg Aggregate[S, E], stream string, env Envelope,
	decide func(S) ([]E, error)) (events []E, data []eventstore.EventData, done handled[S], err error) {
	if h.landed != nil {
		return nil, nil, handled[S]{Result: *h.landed, state: h.state}, nil
	}
	events, err = decide(h.state)
	if h.unread && (err != nil || len(events) == 0) {
		return nil, nil, handled[S]{}, errUnconfirmed
	}
	if err != nil {
		return nil, nil, handled[S]{}, err
	}
	done = handled[S]{Result: h.last, state: h.state}
	if len(events) == 0 {
		return nil, nil, done, nil
	}
	if data, err = toEventData(agg.Registry, stream, env, events); err != nil {
		return nil, nil, handled[S]{}, err
	}
	return events, data, done, nil
}

// pause sleeps before the given retry, or until ctx ends, for a random duration below
// max(retryBackoff, 2·cycle)·2^(attempt-1), cycle being how long the lost attempt took. Full jitter spreads
// writers that collided instead of letting them collide again in lock step, and scaling with the cycle keeps
// that spread several load → append cycles wide on a slow or loaded store (measured: with a fixed 10 ms
// ceiling, 8 writers on a 10 ms cycle exhausted MaxAttempts in 2 runs out of 100; with this, in none).
func pause(ctx context.Context, attempt int, cycle time.Duration) error {
	timer := time.NewTimer(rand.N(max(retryBackoff, 2*cycle) << (attempt - 1)))
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
