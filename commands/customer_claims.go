package commands

import (
	"context"
	"errors"
	"strconv"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/reservation"
)

// The customers' claims on their email and username (docs/customers.md, "Uniqueness per account"): taking
// and giving them up for a customer, telling whether a claim's owner still holds its value, and finding the
// customer a value leads to.

// Reservation scopes of the customer's unique values (docs/customers.md). Warning: they are part of stored
// stream names; changing one forgets every claim of that scope.
const (
	EmailScope    = "customer_email"
	UsernameScope = "customer_username"
)

// claim claims value for owner, translating "taken" into the customer errors. The claim's command id names
// the owner: a retried registration allocates a new id, and its claim must be decided afresh (and refused)
// rather than mistaken for the first attempt's claim, which would hand one email to two customers.
//
// A claim this command made and later released (an update that failed, then retried with the same request
// id) would read as landed without holding anything: the owner is checked after the claim, and a claim that
// does not hold is made again under a fresh command id.
func (c Customers) claim(ctx context.Context, env Envelope, scope string, accountID int64, value string, owner int64) error {
	claimEnv := ownerEnvelope(env, "claim", owner)
	err := c.Reservations.Claim(ctx, claimEnv, scope, accountID, value, owner, c.holds(scope, accountID, value))
	if err == nil {
		holder, _, ownerErr := c.Reservations.Owner(ctx, scope, accountID, value)
		if ownerErr != nil {
			return ownerErr
		}
		if holder != owner {
			claimEnv.CommandID += ":" + uuid.NewString()
			err = c.Reservations.Claim(ctx, claimEnv, scope, accountID, value, owner, c.holds(scope, accountID, value))
		}
	}
	if errors.Is(err, reservation.ErrTaken) {
		if scope == EmailScope {
			return ErrEmailTaken
		}
		return ErrUsernameTaken
	}
	return err
}

// release gives up owner's claim on value.
func (c Customers) release(ctx context.Context, env Envelope, scope string, accountID int64, value string, owner int64) error {
	return c.Reservations.Release(ctx, ownerEnvelope(env, "release", owner), scope, accountID, value, owner)
}

// ownerEnvelope is env with a command id naming the reservation operation and its owner.
func ownerEnvelope(env Envelope, operation string, owner int64) Envelope {
	if env.CorrelationID == "" {
		env.CorrelationID = env.CommandID
	}
	env.CommandID += ":" + operation + ":" + strconv.FormatInt(owner, 10)
	return env
}

// holds tells whether owner still has value: the reservation is stale when its owner was never registered
// (a registration that crashed half-way) or has changed that value since (docs/customers.md).
func (c Customers) holds(scope string, accountID int64, value string) func(context.Context, int64) (bool, error) {
	return func(ctx context.Context, owner int64) (bool, error) {
		s, err := c.read(ctx, owner, accountID)
		return err == nil && stillHolds(s, scope, value), err
	}
}

// stillHolds tells whether the customer has the value a reservation of scope gives it.
func stillHolds(s customer.State, scope, value string) bool {
	if !s.Exists() {
		return false
	}
	if scope == EmailScope {
		return s.Email == value
	}
	return customer.NormaliseUsername(s.Username) == value
}

// claimMove is a unique value an update moves from one value to another ("" for none).
type claimMove struct{ scope, from, to string }

// claimMoves lists the unique values the update changes, normalised as their claims are.
func claimMoves(s customer.State, in ProfileUpdate) []claimMove {
	var moves []claimMove
	if in.Email != nil && customer.NormaliseEmail(*in.Email) != s.Email {
		moves = append(moves, claimMove{EmailScope, s.Email, customer.NormaliseEmail(*in.Email)})
	}
	if in.Username != nil && customer.NormaliseUsername(*in.Username) != customer.NormaliseUsername(s.Username) {
		moves = append(moves, claimMove{UsernameScope, customer.NormaliseUsername(s.Username), customer.NormaliseUsername(*in.Username)})
	}
	return moves
}

// releaseUnheld gives up the customer's claims on the values pick chooses from moves, except those the
// customer has now: the state is read again, because what this update meant to change may have landed
// anyway (an error after the append) or been changed back by another update, and a claim must never be
// released under a customer who has its value. If that read fails, nothing is released: a stale claim is
// taken over after the grace period, a released one would let two customers share a value.
func (c Customers) releaseUnheld(ctx context.Context, env Envelope, t Target, moves []claimMove, pick func(claimMove) string) error {
	if len(moves) == 0 {
		return nil
	}
	current, err := c.read(ctx, t.CustomerID, t.AccountID)
	if err != nil {
		return err
	}
	var errs []error
	for _, m := range moves {
		if value := pick(m); value != "" && !stillHolds(current, m.scope, value) {
			errs = append(errs, c.release(ctx, env, m.scope, t.AccountID, value, t.CustomerID))
		}
	}
	return errors.Join(errs...)
}

// owner returns the customer holding a reservation, or the zero State when nobody (still) holds it.
func (c Customers) owner(ctx context.Context, scope string, accountID int64, value string) (customer.State, error) {
	id, err := c.holder(ctx, scope, accountID, value)
	if err != nil || id == 0 {
		return customer.State{}, err
	}
	return c.holding(ctx, id, scope, accountID, value)
}

// holder returns the id the reservation names, 0 when there is none. It reads the reservation stream only,
// whether or not it exists, so it costs the same for a known and an unknown value.
func (c Customers) holder(ctx context.Context, scope string, accountID int64, value string) (int64, error) {
	if value == "" {
		return 0, nil
	}
	id, _, err := c.Reservations.Owner(ctx, scope, accountID, value)
	return id, err
}

// holding returns customer id of the account when it still holds value in scope, the zero State otherwise.
func (c Customers) holding(ctx context.Context, id int64, scope string, accountID int64, value string) (customer.State, error) {
	s, err := c.read(ctx, id, accountID)
	if err != nil || !stillHolds(s, scope, value) {
		return customer.State{}, err
	}
	return s, nil
}
