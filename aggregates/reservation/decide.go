package reservation

import (
	"errors"
	"time"
)

// GracePeriod is how long a claim is protected even when its owner does not (yet) hold the value: a
// registration claims its email before its customer stream exists, and must not lose the email to a rival
// in between. Past it, a claim whose owner does not hold the value is taken to be the leftover of a
// command that stopped half-way, and may be taken over. Keep it well above the time one command takes.
const GracePeriod = time.Minute

// ErrTaken is returned when the key belongs to another owner.
var ErrTaken = errors.New("reservation: already taken")

// ErrInvalidOwner is returned for an owner id below 1: 0 means "free" in State.
var ErrInvalidOwner = errors.New("reservation: owner id must be positive")

// Claim gives the key to owner. A free key is claimed; a key owner already holds is a no-op (a retried
// claim); a key held by another owner is refused with ErrTaken, unless that owner no longer holds the value
// (ownerStillHolds is false) and its claim is Stale, in which case owner takes it over.
//
// ownerStillHolds is only consulted when the key is HeldByAnother owner and Stale; callers may skip the
// lookup otherwise.
func Claim(s State, owner int64, ownerStillHolds bool, now time.Time) ([]Event, error) {
	if owner < 1 {
		return nil, ErrInvalidOwner
	}
	switch {
	case s.Owner == owner:
		return nil, nil
	case s.Owner == 0:
		return []Event{Claimed{OwnerID: owner, ClaimedAt: now}}, nil
	case ownerStillHolds || !s.Stale(now):
		return nil, ErrTaken
	}
	return []Event{Claimed{OwnerID: owner, PreviousOwnerID: s.Owner, ClaimedAt: now}}, nil
}

// Release frees the key if owner holds it. Releasing a key someone else holds (it was taken over) or
// nobody holds is a no-op, so a retried or late release can never free another owner's value.
func Release(s State, owner int64, now time.Time) ([]Event, error) {
	if owner < 1 || s.Owner != owner {
		return nil, nil
	}
	return []Event{Released{OwnerID: owner, ReleasedAt: now}}, nil
}
