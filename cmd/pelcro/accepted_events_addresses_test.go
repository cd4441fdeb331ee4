package main

import (
	"context"
	"time"

	"pgregory.net/rapid"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/commands"
	subscriptionprojection "github.com/pelcro-oss/pelcro-api/projections/subscription"
)

// addressRefusals are the answers moving subscriptions onto an address may give instead of writing.
var addressRefusals = append([]error{customer.ErrNotSoldThere, commands.ErrMoveWithTaxes}, customerRefusals...)

// someAddress is one of the customer's addresses as the customers read model has them, or 0 (none, or
// drawn so): the subscriptions sold on it attach it (customer.address_attached).
func (w *propertyWorld) someAddress(who commands.Target) int64 {
	var ids []int64
	err := w.deps.ReadModels.SelectContext(w.t.Context(), &ids, `SELECT id FROM customer_addresses
		WHERE customer_id = $1 ORDER BY id`, who.CustomerID)
	if err != nil {
		w.t.Fatal(err)
	}
	return rapid.SampledFrom(append(ids, 0)).Draw(w.t, "address")
}

// moveOntoAddress has the customer of a subscription held make an address the default with
// is_default_updated, maybe changing its country too: a new address, or one they have (the one a
// subscription was sold on among them). Their running subscriptions move onto it
// (subscription.address_changed), or the change is refused while a subscription uses the address.
func (w *propertyWorld) moveOntoAddress(plans commands.CommerceCatalog, held []commands.Cancellation, env commands.Envelope) error {
	who := rapid.SampledFrom(held).Draw(w.t, "whose subscriptions move").Target
	customers := commands.Customers{Store: w.deps.EventStore, Catalog: plans, Now: func() time.Time { return w.now },
		AddressIDs: commands.NewIDAllocator(w.deps.EventStore, commands.IDKindAddress, commands.IDAllocatorConfig{BlockSize: 10}),
		SubscriptionsOf: func(ctx context.Context, customerID int64) ([]int64, error) {
			return subscriptionprojection.Running(ctx, w.deps.ReadModels, customerID)
		}}
	address := w.someAddress(who)
	if address == 0 {
		var err error
		_, address, err = customers.AddAddress(w.t.Context(), commands.Envelope{CommandID: env.CommandID + "-address"},
			commands.NewAddress{Target: who, Address: exampleAddress})
		if err != nil {
			return err
		}
	}
	patch := customer.AddressPatch{IsDefault: new(true)}
	if rapid.Bool().Draw(w.t, "to another country") {
		patch.Country, patch.State = new("FR"), new("")
	}
	_, err := customers.UpdateAddress(w.t.Context(), env, commands.AddressUpdate{Target: who, AddressID: address,
		Changes: patch, MoveSubscriptions: true})
	return err
}
