package main

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// TestAnEndedSubscriptionsCardBecomesDeletable: the payment methods read model shows a running
// subscription's card as not deletable, and the reactor, running as in pelcro serve, frees it once the
// billing clock ends the subscription.
func TestAnEndedSubscriptionsCardBecomesDeletable(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	// given a customer on the example catalog with a default card
	w := newEraseWorld(t)
	ann := w.registerAnn(eraseSite)
	runProjectionsUntilCaughtUp(t, w.cfg)
	if _, err := w.subscriptions().Wallets.Save(ctx, env(), commands.NewPaymentMethod{Target: w.target(ann),
		Token: "tok_visa"}); err != nil {
		t.Fatal(err)
	}
	// when she subscribes with a second card
	created, err := w.subscribe(commands.NewSubscription{Target: w.target(ann), PlanID: 4051, Token: "tok_mastercard"})
	if err != nil {
		t.Fatal(err)
	}
	runProjectionsUntilCaughtUp(t, w.cfg)
	card := func() queries.PaymentMethod {
		t.Helper()
		s, err := w.subscriptions().Read(ctx, created.SubscriptionID)
		if err != nil {
			t.Fatal(err)
		}
		m, err := queries.PaymentMethods{DB: w.deps.ReadModels}.Get(ctx, ann, s.Payment.SourceID)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	// then that card shows as not deletable
	if m := card(); m.Deletable || m.IsDefault {
		t.Fatalf("the running subscription's card: %+v, want neither deletable nor default", m)
	}
	// when she cancels at the period's end and the billing clock passes it
	subscriptions := w.subscriptions()
	if _, err := subscriptions.Cancel(ctx, env(), commands.Cancellation{Target: w.target(ann),
		SubscriptionID: created.SubscriptionID, Mode: subscription.CancelAtPeriodEnd}); err != nil {
		t.Fatal(err)
	}
	s, err := subscriptions.Read(ctx, created.SubscriptionID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := subscriptions.BillDue(ctx, created.SubscriptionID, s.PeriodEnd.Add(time.Hour),
		func(commands.BillingAction) {}); err != nil {
		t.Fatal(err)
	}
	runProjectionsUntilCaughtUp(t, w.cfg) // the reactor frees the card
	runProjectionsUntilCaughtUp(t, w.cfg) // the payment methods read model shows it
	// then the card may be deleted
	if m := card(); !m.Deletable {
		t.Fatalf("the ended subscription's card: %+v, want deletable", m)
	}
}
