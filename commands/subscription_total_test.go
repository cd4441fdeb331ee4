package commands_test

import (
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// TestSalesTooLargeForOneChargeAreRefused: 10000 yearly terms of 100.00 come to 100,000,000, more than one
// charge takes; every sale refuses them under quantity before anything is charged or scheduled, paid now or
// left to the billing clock, which could never bill them.
func TestSalesTooLargeForOneChargeAreRefused(t *testing.T) {
	t.Parallel()
	w := newSubscriptionWorld(t)
	ann := w.register(t, "ann@example.com", "ann")
	card := w.saveCard(t, ann, "tok_visa")
	sale := func(id int64, pay commands.SubscriptionPayment) commands.SubscriptionSale {
		return commands.SubscriptionSale{Target: target(ann), SubscriptionID: id, PlanID: 4053, Quantity: 10_000, Payment: pay}
	}
	giftOf := func(n *subscription.New) { n.Gift.RecipientEmail = "zoe@example.com" }
	cases := []struct {
		name string
		gift bool
		sell func(id int64) error
	}{
		{name: "create paid now", sell: func(int64) error {
			_, err := w.subs.Create(t.Context(), newEnv(), commands.NewSubscription{Target: target(ann), PlanID: 4053,
				Quantity: 10_000, Token: "tok_visa"})
			return err
		}},
		{name: "renew left to the billing clock", sell: func(id int64) error {
			_, err := w.subs.Renew(t.Context(), newEnv(), commands.Renewal{SubscriptionSale: sale(id, commands.SubscriptionPayment{})})
			return err
		}},
		{name: "renew paid now", sell: func(id int64) error {
			_, err := w.subs.Renew(t.Context(), newEnv(), commands.Renewal{SubscriptionSale: sale(id, commands.SubscriptionPayment{SourceID: card})})
			return err
		}},
		{name: "change", sell: func(id int64) error {
			_, err := w.subs.Change(t.Context(), newEnv(), commands.PlanChange{SubscriptionSale: sale(id, commands.SubscriptionPayment{SourceID: card})})
			return err
		}},
		{name: "gift renew", gift: true, sell: func(id int64) error {
			_, err := w.subs.RenewGift(t.Context(), newEnv(), commands.GiftRenewal{SubscriptionSale: sale(id, commands.SubscriptionPayment{SourceID: card})})
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// given a monthly subscription (or a gift given) with a saved card
			var adjust func(*subscription.New)
			if c.gift {
				adjust = giftOf
			}
			id := w.subscribe(t, ann, card, adjust)
			charges := w.charges(t)
			// when the customer buys 10000 yearly terms on it
			err := c.sell(id)
			// then the sale is refused under quantity, with the total rule, and nothing changed or was charged
			problems, ok := errors.AsType[subscription.Problems](err)
			if !ok || len(problems) != 1 || problems[0].Field != "quantity" || problems[0].Rule != subscription.RuleTotal {
				t.Fatalf("error = %v, want quantity: %s", err, subscription.RuleTotal)
			}
			s := w.subscription(t, id)
			if len(s.Phases) != 0 || s.Terms.PlanID != 4051 || w.charges(t) != charges {
				t.Errorf("phases %+v, plan %d, %d charges (was %d): want nothing changed", s.Phases, s.Terms.PlanID,
					w.charges(t), charges)
			}
		})
	}
}
