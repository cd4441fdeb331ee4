package main

import (
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// TestARunningSubscriptionsCardIsDeletableWhileTheDefaultIsCharged: the payment methods read model's
// `deletable` of the card a running subscription was created with follows the default as the wallet's
// decision does (wallet.State.Deletable): false while the default cannot be charged (the subscription
// would charge its own card), true once a chargeable default would be charged instead, false again when a
// new default waits for 3-D Secure; and deleting the card succeeds exactly when it shows deletable.
func TestARunningSubscriptionsCardIsDeletableWhileTheDefaultIsCharged(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	// given Ann, whose default card waits for 3-D Secure, subscribed with a mastercard
	w := newEraseWorld(t)
	ann, _, own := w.subscribedBesidePendingDefault(t)
	wallets := w.subscriptions().Wallets
	for _, step := range []struct {
		name      string
		token     string // the card saved as the default (POST /source) before looking
		deletable bool
	}{
		{"the default waits for 3-D Secure", "", false},
		{"a visa saved as the default", "tok_visa", true},
		{"a new default waiting for 3-D Secure", "tok_threeDSecure2Required", false},
		{"an amex saved as the default", "tok_amex", true},
	} {
		// when Ann saves the step's card as her default
		if step.token != "" {
			w.saveCard(t, ann, step.token, true)
		}
		runProjectionsUntilCaughtUp(t, w.cfg)
		// then the subscription's card shows deletable as the step says, alone and listed
		m, err := queries.PaymentMethods{DB: w.deps.ReadModels}.Get(ctx, ann, own)
		if err != nil {
			t.Fatal(err)
		}
		listed, err := queries.PaymentMethods{DB: w.deps.ReadModels}.List(ctx, ann)
		if err != nil {
			t.Fatal(err)
		}
		inList := !step.deletable
		for _, c := range listed {
			if c.ID == own {
				inList = c.Deletable
			}
		}
		if m.Deletable != step.deletable || inList != step.deletable {
			t.Errorf("%s: the subscription's card shows deletable %v (listed %v), want %v", step.name,
				m.Deletable, inList, step.deletable)
		}
		// and the wallet refuses to delete it while it shows not deletable
		if !step.deletable {
			if _, err := wallets.Delete(ctx, env(), w.target(ann), own); !errors.Is(err, wallet.ErrInUse) {
				t.Errorf("%s: delete the card the subscription would charge: %v, want ErrInUse", step.name, err)
			}
		}
	}
	// and deletes it once it shows deletable (the last step)
	if _, err := wallets.Delete(ctx, env(), w.target(ann), own); err != nil {
		t.Errorf("delete the card shown deletable: %v", err)
	}
}

// subscribedBesidePendingDefault registers Ann with a default card that waits for 3-D Secure, subscribes her
// to plan 4051 with a mastercard and lets the projections catch up: her id, the subscription's and its card's.
func (w *eraseWorld) subscribedBesidePendingDefault(t *testing.T) (ann, subscriptionID, card int64) {
	t.Helper()
	ann = w.registerAnn(eraseSite)
	runProjectionsUntilCaughtUp(t, w.cfg)
	w.saveCard(t, ann, "tok_threeDSecure2Required", false)
	created, err := w.subscribe(commands.NewSubscription{Target: w.target(ann), PlanID: 4051, Token: "tok_mastercard"})
	if err != nil {
		t.Fatal(err)
	}
	s, err := w.subscriptions().Read(t.Context(), created.SubscriptionID)
	if err != nil {
		t.Fatal(err)
	}
	runProjectionsUntilCaughtUp(t, w.cfg)
	return ann, created.SubscriptionID, s.Payment.SourceID
}

// saveCard saves a card of token for the customer, as the default when makeDefault (POST /source).
func (w *eraseWorld) saveCard(t *testing.T, customerID int64, token string, makeDefault bool) {
	t.Helper()
	if _, err := w.subscriptions().Wallets.Save(t.Context(), env(), commands.NewPaymentMethod{
		Target: w.target(customerID), Token: token, MakeDefault: makeDefault}); err != nil {
		t.Fatalf("save %s: %v", token, err)
	}
}
