package main

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// TestAnEndedSubscriptionsCardBecomesDeletable: the payment methods read model shows a running
// subscription's card as not deletable (the customer's default waits for 3-D Secure, so the subscription
// would charge its own card), and the reactor, running as in pelcro serve, frees it once the billing clock
// ends the subscription.
func TestAnEndedSubscriptionsCardBecomesDeletable(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	// given a customer on the example catalog, whose default card cannot be charged yet, subscribed with a
	// second card
	w := newEraseWorld(t)
	ann, id, own := w.subscribedBesidePendingDefault(t)
	card := func() queries.PaymentMethod {
		t.Helper()
		m, err := queries.PaymentMethods{DB: w.deps.ReadModels}.Get(ctx, ann, own)
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
		SubscriptionID: id, Mode: subscription.CancelAtPeriodEnd}); err != nil {
		t.Fatal(err)
	}
	s, err := subscriptions.Read(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := subscriptions.BillDue(ctx, id, s.PeriodEnd.Add(time.Hour),
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
