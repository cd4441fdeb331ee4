package commands_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// TestOneThreeDSecureChallengeSetsUpTheCardOfANewSubscription: a subscription bought with a card asking for
// 3-D Secure answers a payment intent and the card's setup intent; the customer completing the payment
// alone sets the card up, so the renewals charge it.
func TestOneThreeDSecureChallengeSetsUpTheCardOfANewSubscription(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// confirm is what the customer completes: the payment intent, the setup intent, both or neither
		confirm  func(created commands.CreatedSubscription) []string
		card     wallet.Status
		renewals []string
	}{
		{"the payment intent", func(c commands.CreatedSubscription) []string { return []string{c.PaymentIntent.ID} },
			wallet.StatusChargeable, []string{"renew:renewed", "charge:paid"}},
		{"both intents", func(c commands.CreatedSubscription) []string {
			return []string{c.PaymentIntent.ID, c.SetupIntent.ID}
		}, wallet.StatusChargeable, []string{"renew:renewed", "charge:paid"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newSalesWorld(t)
			ann := w.register(t, "ann@example.com", "ann")
			// given a subscription bought with a card asking for 3-D Secure
			created, err := w.subscriptions.Create(t.Context(), newEnv(), commands.NewSubscription{Target: who(ann),
				PlanID: 4051, Token: "tok_threeDSecure2Required"})
			if err != nil || created.PaymentIntent == nil || created.SetupIntent == nil {
				t.Fatalf("Create = %+v, %v; want a payment intent and a setup intent", created, err)
			}
			// when the customer completes what they are shown, and the reactor hears the invoice was paid
			for _, intent := range tc.confirm(created) {
				if err := w.completes(t, intent); err != nil {
					t.Fatal(err)
				}
			}
			s := w.read(t, created.SubscriptionID)
			if _, err := w.subscriptions.RecordInvoicePaid(t.Context(), newEnv(), s.LatestInvoice, 0); err != nil {
				t.Fatal(err)
			}
			// then the card is chargeable, and the first renewal charges it without asking again
			if m, _ := w.wallet(t, ann).Method(s.Payment.SourceID); m.Status != tc.card {
				t.Fatalf("card %+v, want %s", m, tc.card)
			}
			var done []commands.BillingAction
			_, err = w.subscriptions.BillDue(t.Context(), created.SubscriptionID, s.PeriodEnd.Add(time.Hour),
				func(a commands.BillingAction) { done = append(done, a) })
			if got := outcomes(done); err != nil || !slices.Equal(got, tc.renewals) {
				t.Errorf("renewal %v, %v; want %v", got, err, tc.renewals)
			}
			if s := w.read(t, created.SubscriptionID); s.Status != subscription.StatusActive {
				t.Errorf("after the renewal: %s, want active", s.Status)
			}
		})
	}
}

// wallet folds the customer's wallet as it stands.
func (w *invoiceWorld) wallet(t *testing.T, customerID int64) wallet.State {
	t.Helper()
	var s wallet.State
	_, err := commands.Handle(t.Context(), w.store, commands.WalletAggregate, strconv.FormatInt(customerID, 10),
		newEnv(), func(current wallet.State) ([]wallet.Event, error) { s = current; return nil, nil })
	if err != nil {
		t.Fatal(err)
	}
	return s
}
