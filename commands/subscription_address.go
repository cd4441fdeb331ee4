package commands

import (
	"context"
	"errors"
	"strconv"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
)

// ErrAddressMoved: the address of a sale changed country or state between pricing the sale and recording
// it; nothing was charged, and the customer may try again.
var ErrAddressMoved = errors.New("commands: the address changed while the subscription was sold")

// attachAddress records on the customer's stream that the subscription takes the address the sale was
// priced at (customer.AttachAddress), before anything is charged or recorded on the subscription: from then
// on the address's country and state stay as the sale saw them while the subscription may use it (spec
// #47). A sale without an address attaches nothing. Renewals and changes attach the address they keep too,
// so a change of the address racing one of them meets it on the customer's stream.
//
// Refusals: ErrAddressMoved when the address changed country or state since the sale was priced,
// ErrAddressNotFound, customer.ErrNotRegistered.
func (c Subscriptions) attachAddress(ctx context.Context, env Envelope, who Target, subscriptionID int64, sale Sale) error {
	if sale.AddressID == 0 {
		return nil
	}
	at := c.now()
	attach := customer.Attach{AddressID: sale.AddressID, SubscriptionID: subscriptionID, Country: sale.address.Country,
		State: sale.address.State}
	_, err := Handle(ctx, c.Pricer.Store, CustomerAggregate, strconv.FormatInt(who.CustomerID, 10), env.derived("address"),
		func(s customer.State) ([]customer.Event, error) {
			if s.Exists() && s.AccountID != who.AccountID {
				return nil, customer.ErrNotRegistered
			}
			return customer.AttachAddress(s, attach, at)
		})
	switch {
	case errors.Is(err, customer.ErrAddressMoved):
		return ErrAddressMoved
	case errors.Is(err, customer.ErrAddressNotFound):
		return ErrAddressNotFound
	}
	return err
}
