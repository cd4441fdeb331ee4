package main

import (
	"encoding/json"
	"testing"

	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/queries"
)

func TestAThreeDSecurePurchaseAppliesOnceItsPaymentIsConfirmed(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	// given a customer on the example catalog, projected
	w := newEraseWorld(t)
	ann := w.registerAnn(eraseSite)
	runProjectionsUntilCaughtUp(t, w.cfg)
	// when she subscribes with a card that needs 3-D Secure
	created, err := w.subscribe(commands.NewSubscription{Target: w.target(ann), PlanID: 4051,
		Token: "tok_threeDSecure2Required"})
	if err != nil || created.PaymentIntent == nil {
		t.Fatalf("Create = %+v, %v; want a payment intent to confirm", created, err)
	}
	runProjectionsUntilCaughtUp(t, w.cfg)
	status := func() string {
		c, err := queries.Customers{DB: w.deps.ReadModels}.Customer(ctx, ann)
		if err != nil || len(c.Subscriptions) != 1 {
			t.Fatalf("customer: %v, %d subscriptions", err, len(c.Subscriptions))
		}
		return c.Subscriptions[0].Status
	}
	if got := status(); got != "incomplete" {
		t.Fatalf("before the confirmation: %s, want incomplete", got)
	}
	// and the intent is confirmed (pelcro payments confirm), the reactor running as in pelcro serve
	if _, err := confirmIntent(ctx, w.cfg, created.PaymentIntent.ID); err != nil {
		t.Fatal(err)
	}
	runProjectionsUntilCaughtUp(t, w.cfg) // the reactor records the payment
	runProjectionsUntilCaughtUp(t, w.cfg) // the subscriptions read model shows it
	// then the subscription is active in the Customer resource
	if got := status(); got != "active" {
		t.Fatalf("after the confirmation: %s, want active", got)
	}

	// when she renews it, paying now with a card that needs 3-D Secure
	renewed, err := w.subscriptions().Renew(ctx, env(), commands.Renewal{SubscriptionSale: commands.SubscriptionSale{
		Target: w.target(ann), SubscriptionID: created.SubscriptionID, PlanID: 4051, Quantity: 1,
		Payment: commands.SubscriptionPayment{Token: "tok_threeDSecure2Required"}}})
	if err != nil || renewed.PaymentIntent == nil {
		t.Fatalf("Renew = %+v, %v; want a payment intent to confirm", renewed, err)
	}
	runProjectionsUntilCaughtUp(t, w.cfg)
	phases := func() int {
		c, err := queries.Customers{DB: w.deps.ReadModels}.Customer(ctx, ann)
		var phases []json.RawMessage
		if err == nil && len(c.Subscriptions) == 1 {
			err = json.Unmarshal(c.Subscriptions[0].Phases, &phases)
		}
		if err != nil {
			t.Fatal(err)
		}
		return len(phases)
	}
	// then no phase is added until the intent is confirmed and the reactor heard the invoice was paid
	if n := phases(); n != 0 {
		t.Fatalf("before the confirmation: %d phases, want none", n)
	}
	if _, err := confirmIntent(ctx, w.cfg, renewed.PaymentIntent.ID); err != nil {
		t.Fatal(err)
	}
	runProjectionsUntilCaughtUp(t, w.cfg)
	runProjectionsUntilCaughtUp(t, w.cfg)
	if n := phases(); n != 1 {
		t.Fatalf("after the confirmation: %d phases, want the renewal's", n)
	}
}

// registerAnn registers ann@example.com on the site (of account 1) and returns her id.
func (w *eraseWorld) registerAnn(site int64) int64 {
	w.t.Helper()
	registered, err := w.customers.Register(w.t.Context(), env(), commands.Registration{AccountID: 1, SiteID: site,
		Email: "ann@example.com", Password: "Secret-123"})
	if err != nil {
		w.t.Fatal(err)
	}
	return registered.CustomerID
}
