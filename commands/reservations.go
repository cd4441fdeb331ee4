package commands

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/reservation"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// ReservationAggregate stores one stream per claimed key, "reservation-<scope>-<key>" with the key a keyed
// hash of the account and value (StreamNames). Warning: the prefix, the scopes and the key derivation are
// part of stored stream names; changing any of them forgets every claim, so values already taken could be
// taken a second time.
var ReservationAggregate = Aggregate[reservation.State, reservation.Event]{
	Registry: reservation.Events, Evolve: reservation.Evolve, StreamPrefix: "reservation-"}

// ErrInvalidScope is returned for a reservation scope that is empty or holds anything but a-z, 0-9 and
// "_": scopes are part of stream names, where "-" separates the prefix, the scope and the key.
var ErrInvalidScope = errors.New("commands: reservation scope must be non-empty [a-z0-9_]")

// Reservations enforces values unique per account (emails, usernames) on the write side: a value belongs to
// whoever claimed its key first, decided with the key stream's revision so of concurrent claimants exactly
// one wins. Domain errors come back unchanged (reservation.ErrTaken, reservation.ErrInvalidOwner).
//
// Every method takes the scope (e.g. "customer_email") and the account id and already-normalised value
// (a trimmed, lower-cased email; a lower-cased username): the key is exact, so "Ann@x.com" and "ann@x.com"
// would be two different claims. Stream names are never erased, so the value never appears in them: the key
// is a keyed hash (Names).
//
// Claims made before keyed names (streams named by a bare SHA-256, see legacyReservationKey; only the
// scopes of that time, legacyScopes, have any) still count:
// a write to a value whose keyed stream is empty first copies the old stream's live claim into it (adopt),
// and a read falls back to the old stream. Old streams are never written again.
type Reservations struct {
	Store eventstore.Store
	// Names keys the stream names. Required.
	Names StreamNames
	// Now is the clock of claims and of their grace period; nil means time.Now.
	Now func() time.Time
}

// Claim gives the value to owner (e.g. a new customer id). It succeeds when the value is free, already
// owner's (a retried command), or held by an owner that no longer holds it and whose claim is older than
// reservation.GracePeriod (a command that stopped half-way); otherwise it returns reservation.ErrTaken.
//
// holds reports whether an owner still holds the value (its aggregate exists and still has this value). It
// is called only for a key held by another owner whose claim is past the grace period, and may be called
// again when the claim is retried after a concurrent write.
func (r Reservations) Claim(ctx context.Context, env Envelope, scope string, accountID int64, value string,
	owner int64, holds func(ctx context.Context, owner int64) (bool, error)) error {
	// Checked here as well as in the decision so holds is never asked on behalf of an impossible owner.
	if owner < 1 {
		return reservation.ErrInvalidOwner
	}
	return r.handle(ctx, env, scope, accountID, value, r.claim(ctx, scope, owner, holds))
}

// claim is the decision of Claim.
func (r Reservations) claim(ctx context.Context, scope string, owner int64,
	holds func(ctx context.Context, owner int64) (bool, error)) func(reservation.State) ([]reservation.Event, error) {
	at := r.now()
	return func(s reservation.State) ([]reservation.Event, error) {
		stillHolds := true
		if s.HeldByAnother(owner) && s.Stale(at) {
			var err error
			if stillHolds, err = holds(ctx, s.Owner); err != nil {
				return nil, fmt.Errorf("commands: does %d still hold its %s value: %w", s.Owner, scope, err)
			}
		}
		return reservation.Claim(s, owner, stillHolds, at)
	}
}

// Release frees the value if owner holds it, e.g. the old email after an email change. Releasing a value
// owner does not hold (any more) is a no-op, so it is safe to retry.
func (r Reservations) Release(ctx context.Context, env Envelope, scope string, accountID int64, value string,
	owner int64) error {
	at := r.now()
	return r.handle(ctx, env, scope, accountID, value, func(s reservation.State) ([]reservation.Event, error) {
		return reservation.Release(s, owner, at)
	})
}

// Owner returns who holds the value, and false when nobody does. It reads the key's stream, not a read
// model, so it sees every claim that returned before it was called (login right after registering).
//
// The owner may be a leftover of a command that stopped half-way: callers must check that the owner's
// aggregate exists and still has this value before acting on it.
func (r Reservations) Owner(ctx context.Context, scope string, accountID int64, value string) (int64, bool, error) {
	read, err := r.lookup(ctx, scope, accountID, value)
	return read.owner(), read.owner() != 0, err
}

func (r Reservations) handle(ctx context.Context, env Envelope, scope string, accountID int64, value string,
	decide func(reservation.State) ([]reservation.Event, error)) error {
	keyed, legacy, err := r.streams(scope, accountID, value)
	if err != nil {
		return err
	}
	prefix := ReservationAggregate.StreamPrefix
	if mayHaveLegacyClaims(scope) {
		if err := r.adopt(ctx, prefix+keyed, prefix+legacy); err != nil {
			return err
		}
	}
	_, err = Handle(ctx, r.Store, ReservationAggregate, keyed, env, decide)
	return err
}

// streams returns the ids ("<scope>-<key>") of the value's claim stream and of the stream that named it
// before keyed names.
func (r Reservations) streams(scope string, accountID int64, value string) (keyed, legacy string, err error) {
	if !validScope(scope) {
		return "", "", ErrInvalidScope
	}
	key, err := r.Names.reservation(scope, accountID, value)
	if err != nil {
		return "", "", err
	}
	return scope + "-" + key, scope + "-" + legacyReservationKey(accountID, value), nil
}

// adopt copies a live claim of the legacy stream into the keyed stream when the keyed stream has no events
// yet, so the claim keeps counting once every write goes to the keyed stream. The copy has ids derived from
// the legacy claim, so concurrent adoptions write it once; an adoption that loses to any other first write
// of the keyed stream is dropped (that writer adopted first).
func (r Reservations) adopt(ctx context.Context, keyed, legacy string) error {
	if _, err := r.Store.ReadStream(ctx, keyed, eventstore.Backwards, eventstore.StreamEnd(), 1); !errors.Is(err, eventstore.ErrStreamNotFound) {
		return err
	}
	old, err := load(ctx, r.Store, ReservationAggregate, legacy, "")
	if err != nil || old.state.Owner == 0 {
		return err
	}
	// The command id names the legacy claim by its revision only: its stream's name would link the keyed
	// stream to the bare SHA-256 of the value.
	env := Envelope{CommandID: "adopt:" + strconv.FormatUint(old.last.Revision, 10), Actor: "system:names"}
	data, err := toEventData(ReservationAggregate.Registry, keyed, env,
		[]reservation.Event{reservation.Claimed{OwnerID: old.state.Owner, ClaimedAt: old.state.ClaimedAt}})
	if err != nil {
		return err
	}
	_, err = r.Store.Append(ctx, keyed, eventstore.NoStream(), data...)
	if errors.Is(err, eventstore.ErrWrongExpectedVersion) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("commands: adopt the claim of %s: %w", legacy, err)
	}
	return nil
}

func (r Reservations) now() time.Time {
	if r.Now != nil {
		return r.Now().UTC()
	}
	return time.Now().UTC()
}

func validScope(scope string) bool {
	for _, c := range scope {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return scope != ""
}
