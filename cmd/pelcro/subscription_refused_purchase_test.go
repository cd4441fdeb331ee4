package main

import (
	"strconv"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// TestARenewalRefusedAfterThreeDSecureShowsRefunded: a renewal waiting for 3-D Secure whose subscription
// ended before the customer completed it is refunded in full at once when `pelcro payments confirm` completes
// it, and the Customer resource shows its charge refunded, once, though the intent is confirmed twice.
func TestARenewalRefusedAfterThreeDSecureShowsRefunded(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	// given Ann's paid subscription, and a renewal of it waiting for 3-D Secure
	w := newEraseWorld(t)
	ann := w.registerAnn(eraseSite)
	runProjectionsUntilCaughtUp(t, w.cfg)
	created, err := w.subscribe(commands.NewSubscription{Target: w.target(ann), PlanID: 4051, Token: "tok_visa"})
	if err != nil {
		t.Fatal(err)
	}
	renewed, err := w.subscriptions().Renew(ctx, env(), commands.Renewal{SubscriptionSale: commands.SubscriptionSale{
		Target: w.target(ann), SubscriptionID: created.SubscriptionID, PlanID: 4051, Quantity: 1,
		Payment: commands.SubscriptionPayment{Token: "tok_threeDSecure2Required"}}})
	if err != nil || renewed.PaymentIntent == nil {
		t.Fatalf("Renew = %+v, %v; want a payment intent to confirm", renewed, err)
	}
	// and the subscription ended meanwhile by the billing clock (dunning gave up: an end that leaves the
	// purchase waiting to its deadline, where an immediate cancellation would give it up at once)
	if _, err := commands.Handle(ctx, w.deps.EventStore, commands.SubscriptionAggregate,
		strconv.FormatInt(created.SubscriptionID, 10), env(), func(s subscription.State) ([]subscription.Event, error) {
			return []subscription.Event{subscription.Ended{SubscriptionID: s.ID, Status: subscription.StatusCanceled,
				Reason: "payment_failed", By: subscription.BySystem, EndedAt: time.Now()}}, nil
		}); err != nil {
		t.Fatal(err)
	}
	// when she completes 3-D Secure, confirmed twice, the reactor running as in pelcro serve
	for range 2 {
		if _, err := confirmIntent(ctx, w.cfg, renewed.PaymentIntent.ID); err != nil {
			t.Fatal(err)
		}
		runProjectionsUntilCaughtUp(t, w.cfg) // the reactor settles the renewal
		runProjectionsUntilCaughtUp(t, w.cfg) // the read models show it
	}
	// then the Customer resource shows the renewal's invoice paid and its charge refunded in full
	c, err := queries.Customers{DB: w.deps.ReadModels}.Customer(ctx, ann)
	if err != nil || len(c.Invoices) != 2 || len(c.Charges) != 2 {
		t.Fatalf("customer: %v, invoices %+v, charges %+v; want the subscription's and the renewal's", err, c.Invoices,
			c.Charges)
	}
	renewal := c.Charges[1]
	if renewal.InvoiceID != c.Invoices[1].ID || !renewal.Refunded || renewal.AmountRefunded != renewal.Amount {
		t.Errorf("the renewal's charge %+v, want refunded in full (invoice %+v)", renewal, c.Invoices[1])
	}
}
