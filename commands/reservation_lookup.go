package commands

import (
	"context"
	"slices"

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

// legacyScopes are the scopes that had claims before stream names were keyed (303b19f): only their values
// can have a claim in a legacy stream to read or adopt. Every scope added since (the subscription, order
// and invoice records, a customer's currency) skips those reads: one round trip less for a value nobody
// claimed yet, the usual case of a record, and one less per claim or release. Warning: a scope that ever
// had claims under legacy names must stay listed, or its old claims stop counting and those values can be
// taken a second time.
var legacyScopes = []string{EmailScope, UsernameScope}

// mayHaveLegacyClaims tells whether claims of scope may live in legacy streams.
func mayHaveLegacyClaims(scope string) bool { return slices.Contains(legacyScopes, scope) }

// lookup reads who holds the value: the keyed stream, then the legacy one when the keyed one is empty and
// the scope is old enough to have one.
func (r Reservations) lookup(ctx context.Context, scope string, accountID int64, value string) (claimLookup, error) {
	keyed, legacy, err := r.streams(scope, accountID, value)
	if err != nil {
		return claimLookup{}, err
	}
	prefix := ReservationAggregate.StreamPrefix
	// No command id: no event of the stream can be this read's own.
	l := claimLookup{keyed: keyed}
	l.state, err = load(ctx, r.Store, ReservationAggregate, prefix+keyed, "")
	if err != nil || l.state.exists || !mayHaveLegacyClaims(scope) {
		return l, err
	}
	l.state, err = load(ctx, r.Store, ReservationAggregate, prefix+legacy, "")
	return l, err
}

// claimUnclaimed is Claim of a value lookup found unclaimed. When neither of its streams has any event
// (a new subscription, order or invoice recording its id), it does not read them again: the legacy stream
// has nothing to adopt (it was empty, and legacy streams are never written again), and the claim decides on
// the keyed stream as lookup found it, empty, so its append expects the stream not to exist; a claim that
// got in between makes the append lose, and Handle then reads the stream and decides again. A new record
// (its scope has no legacy streams) costs one read and one append. A value whose streams hold a released
// claim is claimed as Claim does.
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
