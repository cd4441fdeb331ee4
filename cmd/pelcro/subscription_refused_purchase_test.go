package main

import (
	"context"
	"testing"

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
	// and the subscription canceled at once meanwhile (its account allowing it)
	subs := w.subscriptions()
	subs.Catalog = immediateCancellation{subs.Catalog}
	if _, err := subs.Cancel(ctx, env(), commands.Cancellation{Target: w.target(ann),
		SubscriptionID: created.SubscriptionID, Mode: subscription.CancelNow}); err != nil {
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

// immediateCancellation is a catalog whose accounts allow immediate cancellation.
type immediateCancellation struct{ commands.CommerceCatalog }

func (c immediateCancellation) Account(ctx context.Context, id int64) (commands.AccountPolicy, error) {
	policy, err := c.CommerceCatalog.Account(ctx, id)
	policy.ImmediateCancellation = true
	return policy, err
}
