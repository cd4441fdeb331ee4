package commands

import (
	"context"
	"sync"
)

// DrawnIDs remembers, in memory, the ids handed out under command ids drawn at random for one request
// (Envelope.Drawn). Such an id is never recorded in the store (recordedNewID), so this is what gives a
// command asking twice for the id of one scope and key the same id, as a record would. Safe for concurrent
// use by envelopes that share it; the zero value is ready.
//
// Warning: one per request, shared by every envelope the request makes. A DrawnIDs per envelope, or none,
// would hand a command that asks twice (or two envelopes of one command id) two ids: two subscriptions or
// orders for one request.
type DrawnIDs struct {
	mu  sync.Mutex
	ids map[drawnKey]int64
}

// drawnKey is a record's place: its scope and key (the command id).
type drawnKey struct{ scope, key string }

// Drawn returns env as a command whose id was drawn at random for this one call (NewCommandID), the ids
// asked for under it remembered in ids (see DrawnIDs for why ids must be the request's).
func (env Envelope) Drawn(ids *DrawnIDs) Envelope {
	env.NewCommandID, env.drawn = true, ids
	return env
}

// id is the id remembered for key in scope, or one from next remembered now; fresh says this call made
// it, so nothing anywhere was written under it yet. next runs outside the lock (it may read the store):
// of two concurrent first askers, the one that remembers first wins, the other's id is left unused and it
// answers the winner's, not fresh.
func (d *DrawnIDs) id(ctx context.Context, scope, key string, next func(context.Context) (int64, error)) (id int64, fresh bool, err error) {
	place := drawnKey{scope, key}
	if id, ok := d.lookup(place); ok {
		return id, false, nil
	}
	id, err = next(ctx)
	if err != nil {
		return 0, false, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if kept, ok := d.ids[place]; ok {
		return kept, false, nil
	}
	if d.ids == nil {
		d.ids = map[drawnKey]int64{}
	}
	d.ids[place] = id
	return id, true, nil
}

// lookup is the id remembered at place.
func (d *DrawnIDs) lookup(place drawnKey) (int64, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	id, ok := d.ids[place]
	return id, ok
}
