package commands_test

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/commands"
)

func TestACreationSaysWhetherItWroteAnythingButTheSubscription(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		in       commands.NewSubscription
		wantOnly bool
	}{
		{"a free plan without a card", commands.NewSubscription{PlanID: 4052}, true},
		{"a free plan with a card token (the card is saved)", commands.NewSubscription{PlanID: 4052, Token: "tok_visa"}, false},
		{"a plan that costs (its first invoice is opened and paid)", commands.NewSubscription{PlanID: 4051, Token: "tok_visa"}, false},
		{"a plan paid by invoice (its first invoice is opened)", commands.NewSubscription{PlanID: 4053, SendInvoice: true}, false},
	}
	w := newSalesWorld(t)
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// given a customer of their own
			tc.in.Target = who(w.register(t, "only"+string(rune('a'+i))+"@example.com", "only"+string(rune('a'+i))))
			// when they subscribe
			created, err := w.subscriptions.Create(t.Context(), newEnv(), tc.in)
			// then the result says whether its answer may wait for the subscriptions read model alone
			if err != nil || created.SubscriptionOnly != tc.wantOnly {
				t.Fatalf("Create = %+v, %v; want SubscriptionOnly %v", created, err, tc.wantOnly)
			}
		})
	}
}
