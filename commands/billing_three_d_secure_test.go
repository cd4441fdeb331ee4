package commands_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

func TestAThreeDSecurePaymentOfADunnedInvoiceTakesNothingOnceDunningGaveUp(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	dunned := []string{"charge:payment_failed", "charge:payment_failed", "charge:payment_failed", "charge:canceled"}
	cases := []struct {
		name   string
		card   string // the subscription's card ("": none)
		cannot bool   // the gateway cannot cancel intents
		// completed: the customer authenticates before the next retry, and only the gateway knows it
		completed bool
		items     []string
		status    subscription.Status
		invoice   invoice.Status
		kept      int64
		lateError error
	}{
		{"a card that declines: the retry replaces the intent, canceled", "tok_chargeCustomerFail", false, false,
			dunned, subscription.StatusCanceled, invoice.StatusUncollectible, 0, commands.ErrIntentNotSucceeded},
		{"a card that declines, an intent the gateway cannot cancel: refunded when it succeeds", "tok_chargeCustomerFail",
			true, false, dunned, subscription.StatusCanceled, invoice.StatusUncollectible, 0, nil},
		{"no card: the end cancels the intent", "", false, false, dunned, subscription.StatusCanceled,
			invoice.StatusUncollectible, 0, commands.ErrIntentNotSucceeded},
		{"no card, an intent the gateway cannot cancel: refunded when it succeeds", "", true, false, dunned,
			subscription.StatusCanceled, invoice.StatusUncollectible, 0, nil},
		{"no card, the intent completed before the end: paid after all", "", false, true,
			[]string{"charge:payment_failed", "charge:payment_failed", "charge:payment_failed", "charge:paid"},
			subscription.StatusActive,
			invoice.StatusPaid, 1000, nil},
		{"a card that declines, the intent completed before the retry: paid after all", "tok_chargeCustomerFail", false,
			true, []string{"charge:payment_failed", "charge:payment_failed", "charge:paid"}, subscription.StatusActive,
			invoice.StatusPaid, 1000, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newBillingWorld(t)
			if tc.cannot {
				w.withoutCancel()
			}
			customer := w.register(t, "ann@example.com", "ann")
			var card int64
			if tc.card != "" {
				card = w.saveCard(t, customer, tc.card)
			}
			id := w.subscribe(t, customer, card, monthlyTerms, billingStart)
			// given a renewal that failed, and the customer paying its invoice with a card asking for 3-D Secure
			done, err := w.bill(t, id, firstRenewal.Add(3*day))
			if err != nil || len(done) != 3 {
				t.Fatalf("billing = %v, %v; want the renewal and two failed charges", outcomes(done), err)
			}
			bill := done[1].InvoiceID
			waiting, err := w.invoices.Pay(t.Context(), newEnv(), commands.InvoicePayment{
				Target: commands.Target{CustomerID: customer, AccountID: 1, SiteID: 1}, InvoiceID: bill,
				Gateway: "stripe", Token: "tok_threeDSecure2Required"})
			if err != nil || waiting.Intent == nil {
				t.Fatalf("Pay = %+v, %v; want a payment intent", waiting, err)
			}
			if tc.completed {
				if _, err := w.sandbox.Confirm(t.Context(), waiting.Intent.ID); err != nil {
					t.Fatal(err)
				}
			}
			// when the clock runs past the last retry
			later, err := w.bill(t, id, firstRenewal.Add(30*day))
			if err != nil {
				t.Fatal(err)
			}
			// and the customer completes the intent then (again: a late webhook)
			if err := w.completes(t, waiting.Intent.ID); !errors.Is(err, tc.lateError) {
				t.Fatalf("late confirmation: %v, want %v", err, tc.lateError)
			}
			// then dunning ended as the payment allows, and no money is kept for an invoice nobody owes
			items := append(outcomes(done[1:]), outcomes(later)...)
			s, b := w.read(t, id), w.state(t, bill)
			if !slices.Equal(items, tc.items) || s.Status != tc.status || b.Status != tc.invoice || w.kept(t) != tc.kept {
				t.Errorf("items %v, subscription %s, invoice %s, %d kept; want %v, %s, %s, %d kept", items, s.Status,
					b.Status, w.kept(t), tc.items, tc.status, tc.invoice, tc.kept)
			}
		})
	}
}
