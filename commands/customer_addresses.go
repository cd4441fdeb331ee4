package commands

import (
	"context"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
)

// NewAddress is POST /address (spec #46): RequirePostalCode is the site's AvaTax validation setting (rule 25).
type NewAddress struct {
	Target
	Address           customer.Address
	RequirePostalCode bool
}

// AddAddress gives the address a new public id and adds it to the customer. It returns the address id
// (with a retried command whose events already landed, the id the first attempt gave).
func (c Customers) AddAddress(ctx context.Context, env Envelope, in NewAddress) (CustomerResult, int64, error) {
	address := customer.NormaliseAddress(in.Address)
	if problems := customer.AddressProblems(address, in.RequirePostalCode); len(problems) > 0 {
		return CustomerResult{}, 0, problems
	}
	id, err := c.AddressIDs.Next(ctx)
	if err != nil {
		return CustomerResult{}, 0, err
	}
	address.ID = id
	decided := false
	result, err := c.handle(ctx, env, in.CustomerID, in.AccountID, func(s customer.State, now time.Time) ([]customer.Event, error) {
		decided = true
		return customer.AddAddress(s, customer.NewAddress{Address: address, RequirePostalCode: in.RequirePostalCode}, now)
	})
	if err != nil || decided {
		return result, id, err
	}
	// The command had landed before: its address is the newest one the customer had when it did.
	s, err := c.readAt(ctx, in.CustomerID, in.AccountID, result.Revision)
	if err != nil || len(s.Addresses) == 0 {
		return result, 0, err
	}
	return result, s.Addresses[len(s.Addresses)-1].ID, nil
}

// AddressUpdate is PUT /address/{address_id} (spec #47). MoveSubscriptions (is_default and
// is_default_updated both true) moves the customer's subscriptions that have not ended onto the address.
type AddressUpdate struct {
	Target
	AddressID         int64
	Changes           customer.AddressPatch
	RequirePostalCode bool
	MoveSubscriptions bool
}

// UpdateAddress changes the given fields of one of the customer's addresses: customer.ErrAddressNotFound
// for an address the customer does not have; the address's country and state stay while a subscription
// uses it (customer.RuleInUse, see decideAddressUpdate). Moving subscriptions onto it attaches them to it on the
// customer's stream with the change, in one append, then moves each one; refusals: ErrMoveWithTaxes, and
// customer.ErrNotSoldThere when one of them holds a plan not sold in the address's country (then nothing
// moves, nor changes). The Result is where the last event written stands: the last subscription moved, else
// the customer's change.
func (c Customers) UpdateAddress(ctx context.Context, env Envelope, in AddressUpdate) (CustomerResult, error) {
	var moves []customer.Move
	decided := false
	result, err := c.handle(ctx, env, in.CustomerID, in.AccountID, func(s customer.State, now time.Time) ([]customer.Event, error) {
		decided = true
		var events []customer.Event
		var err error
		events, moves, err = c.decideAddressUpdate(ctx, s, in, now)
		return events, err
	})
	if err != nil || !in.MoveSubscriptions {
		return result, err
	}
	if !decided { // the change had landed before (a retry): move what its attachments name
		if moves, err = c.landedMoves(ctx, env, in.CustomerID, result.Revision); err != nil {
			return result, err
		}
	}
	moved, err := c.moveSubscriptions(ctx, env, in.AddressID, moves)
	if !moved.Written().IsZero() {
		result.Result = moved
	}
	return result, err
}
