package commands

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// ErrAddressMoved: the address of a sale changed country or state between pricing the sale and recording
// it; nothing was charged, or (a change, renewal or gift term, whose commit attaching the address comes
// after the charge) the charge was refunded, and the customer may try again.
var ErrAddressMoved = errors.New("commands: the address changed while the subscription was sold")

// attachAddress records on the customer's stream that the subscription takes the address the sale was
// priced at (customer.AttachAddress), before anything is charged or recorded on the subscription: from then
// on the address's country and state stay as the sale saw them while the subscription may use it (spec
// #47). A sale without an address attaches nothing. A plan change, a renewal and a gift term attach their
// address in the commit that records them instead (handleAttached), so one refused attaches nothing; that
// commit comes after the charge, so its refusal refunds it (recordPaidPurchase, awaitPayment).
//
// Refusals: ErrAddressMoved when the address changed country or state since the sale was priced,
// ErrAddressNotFound, customer.ErrNotRegistered.
func (c Subscriptions) attachAddress(ctx context.Context, env Envelope, who Target, subscriptionID int64, sale Sale) error {
	if sale.AddressID == 0 {
		return nil
	}
	_, err := Handle(ctx, c.Pricer.Store, CustomerAggregate, strconv.FormatInt(who.CustomerID, 10),
		env.derived("address"), attachDecision(who, subscriptionID, sale, c.now()))
	return attachRefusal(err)
}

// handleAttached is handle that appends, in the same commit as what decide decides on the subscription, the
// attachment of the subscription to the sale's address on the customer's stream (as attachAddress decides
// it; none without an address): the address is attached only when the subscription records it. Refusals:
// attachAddress's, and decide's.
func (c Subscriptions) handleAttached(ctx context.Context, env Envelope, who Target, id int64, sale Sale,
	decide func(subscription.State, time.Time) ([]subscription.Event, error)) (SubscriptionResult, error) {
	if sale.AddressID == 0 {
		return c.handle(ctx, env, id, decide)
	}
	at := c.now()
	recorded := newSide(SubscriptionAggregate, strconv.FormatInt(id, 10), env,
		func(s subscription.State) ([]subscription.Event, error) { return decide(s, at) })
	err := handleSides(ctx, c.Store, append(attachedSides(env, who, id, sale, at), recorded)...)
	return SubscriptionResult{SubscriptionID: id, Result: recorded.done.Result}, attachRefusal(err)
}

// attachedSides is the customer's side of a commit (handleSides) that attaches subscription id to the
// sale's address, as attachAddress decides it: none without an address. A caller whose commit writes
// other sides than handleAttached's (a gift term given on the subscription it was redeemed into) adds it
// to them, and words the refusal with attachRefusal.
func attachedSides(env Envelope, who Target, id int64, sale Sale, at time.Time) []side {
	if sale.AddressID == 0 {
		return nil
	}
	return []side{newSide(CustomerAggregate, strconv.FormatInt(who.CustomerID, 10), env.derived("address"),
		attachDecision(who, id, sale, at))}
}

// attachDecision decides on the customer's stream that the subscription takes the sale's address, at the
// country and state the sale was priced at.
func attachDecision(who Target, subscriptionID int64, sale Sale, at time.Time) func(customer.State) ([]customer.Event, error) {
	attach := customer.Attach{AddressID: sale.AddressID, SubscriptionID: subscriptionID, Country: sale.address.Country,
		State: sale.address.State}
	return func(s customer.State) ([]customer.Event, error) {
		if s.Exists() && s.AccountID != who.AccountID {
			return nil, customer.ErrNotRegistered
		}
		return customer.AttachAddress(s, attach, at)
	}
}

// attachRefusal is the commands' refusal of an attachment the customer's stream refused.
func attachRefusal(err error) error {
	switch {
	case errors.Is(err, customer.ErrAddressMoved):
		return ErrAddressMoved
	case errors.Is(err, customer.ErrAddressNotFound):
		return ErrAddressNotFound
	}
	return err
}
