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

// AddressUpdate is PUT /address/{address_id} (spec #47).
type AddressUpdate struct {
	Target
	AddressID         int64
	Changes           customer.AddressPatch
	RequirePostalCode bool
}

// UpdateAddress changes the given fields of one of the customer's addresses: customer.ErrAddressNotFound
// for an address the customer does not have.
func (c Customers) UpdateAddress(ctx context.Context, env Envelope, in AddressUpdate) (CustomerResult, error) {
	return c.handle(ctx, env, in.CustomerID, in.AccountID, func(s customer.State, now time.Time) ([]customer.Event, error) {
		return customer.UpdateAddress(s, customer.AddressChange{AddressID: in.AddressID, Changes: in.Changes,
			RequirePostalCode: in.RequirePostalCode}, now)
	})
}
