// Package reservation is a unique-key claim: who owns one value (an email, a username) in one scope. Each
// key is one stream, and a claim is an append with the revision the claim decision saw, so of many
// concurrent claimants exactly one wins: uniqueness is enforced on the write side, never by a read model
// that may lag.
//
// The package knows nothing about what the key is; the caller names the stream (and must keep personal data
// out of the name, see commands.ReservationKey) and says whether a previous owner still holds the value.
package reservation

import (
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// Event is implemented by every reservation event.
type Event interface {
	isReservationEvent()
}

// Claimed records that OwnerID now owns the key. PreviousOwnerID is set when the claim took the key over
// from an owner that no longer held the value (a registration or change that stopped half-way); it is
// zero for a free key.
type Claimed struct {
	OwnerID         int64     `json:"owner_id"`
	PreviousOwnerID int64     `json:"previous_owner_id,omitempty"`
	ClaimedAt       time.Time `json:"claimed_at"`
}

// Released records that OwnerID gave the key up: it is free again.
type Released struct {
	OwnerID    int64     `json:"owner_id"`
	ReleasedAt time.Time `json:"released_at"`
}

func (Claimed) isReservationEvent()  {}
func (Released) isReservationEvent() {}

// Events names every reservation event. Warning: the names are a stored format (see aggregates.Registry);
// renaming one orphans every reservation, which frees every email and username for a second owner.
var Events = func() *aggregates.Registry {
	r := aggregates.NewRegistry()
	aggregates.MustRegister[Claimed](r, "reservation.claimed")
	aggregates.MustRegister[Released](r, "reservation.released")
	return r
}()
