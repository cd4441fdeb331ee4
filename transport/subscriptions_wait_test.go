package transport

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/commands"
)

func TestASubscriptionAnswerWaitsForTheReadModelsItsCommandChanged(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		result commands.SubscriptionResult
		want   []string
	}{
		{"a command that wrote only the subscription", commands.SubscriptionResult{SubscriptionOnly: true},
			[]string{"subscriptions"}},
		{"any other command (an invoice or a card may have changed)", commands.SubscriptionResult{},
			[]string{"subscriptions", "invoices", "payment methods"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given waits that record which read model they waited for
			var mu sync.Mutex
			var waited []string
			waitFor := func(name string) commands.ReadModelWait {
				return func(context.Context, commands.Written) error {
					mu.Lock()
					defer mu.Unlock()
					waited = append(waited, name)
					return nil
				}
			}
			d := Dependencies{WaitForSubscriptions: waitFor("subscriptions"), WaitForInvoices: waitFor("invoices"),
				WaitForWallet: waitFor("payment methods")}
			// when the answer to the command waits
			if err := d.subscriptionWait(tc.result)(t.Context(), commands.Written{}); err != nil {
				t.Fatal(err)
			}
			// then it waited for exactly the read models the command may have changed
			if !slices.Equal(waited, tc.want) {
				t.Fatalf("waited for %v, want %v", waited, tc.want)
			}
		})
	}
}
