package transport

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

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

func TestAFreePlanIsAnsweredWhileTheInvoicesReadModelIsHeldBack(t *testing.T) {
	t.Parallel()
	// given the invoices read model held back: its wait returns only when the answer gives up
	w := subscriptionStack(t, func(d *Dependencies) {
		d.WaitForInvoices = func(ctx context.Context, _ commands.Written) error {
			<-ctx.Done()
			return ctx.Err()
		}
	})
	token, _ := w.register(t, "free-plan@example.com", "a-long-password")
	// when the customer subscribes to the free plan without a card
	start := time.Now()
	rec := w.post("/subscription", token, `{"plan_id":4052}`, "")
	took := time.Since(start)
	// then the answer shows the subscription at once, without waiting for the invoices
	if rec.Code != http.StatusOK || len(decodeBody[subscribed](t, rec).Data.Subscriptions) != 1 {
		t.Fatalf("subscribe: %d %s", rec.Code, rec.Body)
	}
	if took >= readModelWaitLimit/2 {
		t.Fatalf("answered after %v, the invoices wait gives up after %v", took, readModelWaitLimit)
	}
}
