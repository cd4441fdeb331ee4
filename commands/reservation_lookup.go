package commands

import (
	"context"

	"github.com/pelcro-oss/pelcro-api/aggregates/reservation"
)

// claimLookup is a value's claim as Owner read it: from the keyed stream, or from the legacy one when the
// keyed one has no events.
type claimLookup struct {
	keyed string // the keyed stream's id (without the aggregate's prefix)
	// state is the keyed stream's history, or the legacy stream's when the keyed one has no events; it
	// does not exist when neither has any.
	state history[reservation.State]
}

// owner is who holds the value, 0 when nobody does.
func (l claimLookup) owner() int64 { return l.state.state.Owner }

// lookup reads who holds the value: the keyed stream, then the legacy one when the keyed one is empty.
func (r Reservations) lookup(ctx context.Context, scope string, accountID int64, value string) (claimLookup, error) {
	keyed, legacy, err := r.streams(scope, accountID, value)
	if err != nil {
		return claimLookup{}, err
	}
	prefix := ReservationAggregate.StreamPrefix
	// No command id: no event of the stream can be this read's own.
	l := claimLookup{keyed: keyed}
	if l.state, err = load(ctx, r.Store, ReservationAggregate, prefix+keyed, ""); err != nil || l.state.exists {
		return l, err
	}
	l.state, err = load(ctx, r.Store, ReservationAggregate, prefix+legacy, "")
	return l, err
}

// claimUnclaimed is Claim of a value lookup found unclaimed. When neither of its streams has any event
// (a new subscription, order or invoice recording its id), it does not read them again: the legacy stream
// has nothing to adopt (it was empty, and legacy streams are never written again), and the claim decides on
// the keyed stream as lookup found it, empty, so its append expects the stream not to exist; a claim that
// got in between makes the append lose, and Handle then reads the stream and decides again. That is 5 round
// trips to the store for a new record instead of 13. A value whose streams hold a released claim is
// claimed as Claim does.
func (r Reservations) claimUnclaimed(ctx context.Context, env Envelope, scope string, accountID int64, value string,
	l claimLookup, owner int64, holds func(ctx context.Context, owner int64) (bool, error)) error {
	if owner < 1 {
		return reservation.ErrInvalidOwner
	}
	if l.state.exists {
		return r.Claim(ctx, env, scope, accountID, value, owner, holds)
	}
	// An empty history suits any command id: the stream holds no event, so none of this command's.
	empty := history[reservation.State]{}
	_, err := handleLoaded(ctx, r.Store, ReservationAggregate, l.keyed, env, &empty, r.claim(ctx, scope, owner, holds))
	return err
}
