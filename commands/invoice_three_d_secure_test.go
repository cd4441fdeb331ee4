package commands_test

import (
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// noCancel is a gateway that cannot cancel payment intents (it is not a payments.IntentCanceler).
type noCancel struct{ payments.Gateway }

// withoutCancel makes the world's gateway one that cannot cancel intents, for every command sharing it.
func (w *invoiceWorld) withoutCancel() {
	w.invoices.Gateways["stripe"] = noCancel{Gateway: w.gateway}
}

// kept is what the sandbox's customers paid and were not given back: charges that took money (without
// 3-D Secure, or whose intent succeeded) less their refunds.
func (w *invoiceWorld) kept(t *testing.T) int64 {
	t.Helper()
	var kept int64
	err := w.db.QueryRowContext(t.Context(), `SELECT coalesce(sum(c.amount - c.refunded), 0)
		FROM payments_sandbox_charges c LEFT JOIN payments_sandbox_intents i ON i.id = c.intent
		WHERE c.intent IS NULL OR i.status = 'succeeded'`).Scan(&kept)
	if err != nil {
		t.Fatal(err)
	}
	return kept
}

// completes plays the customer authenticating the intent at their bank, then its confirmation.
func (w *invoiceWorld) completes(t *testing.T, intentID string) error {
	t.Helper()
	if _, err := w.sandbox.Confirm(t.Context(), intentID); err != nil {
		t.Fatal(err)
	}
	_, err := w.intents.Confirm(t.Context(), newEnv(), intentID)
	return err
}

func TestAnotherPaymentMethodReplacesAWaitingThreeDSecurePayment(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		cannot    bool // the gateway cannot cancel intents
		then      string
		thenPaid  bool
		refunded  int64
		lateError error
		status    invoice.Status
	}{
		{"another token pays; the abandoned intent is canceled and can no longer take money", false, "tok_visa", true, 0,
			commands.ErrIntentNotSucceeded, invoice.StatusPaid},
		{"a saved card pays; the abandoned intent is canceled", false, "card", true, 0,
			commands.ErrIntentNotSucceeded, invoice.StatusPaid},
		{"another token pays; an intent the gateway could not cancel is refunded when it succeeds", true, "tok_visa", true,
			1250, nil, invoice.StatusPaid},
		{"a declined card; an intent the gateway could not cancel then pays the invoice still owed", true,
			"tok_chargeDeclined", false, 0, nil, invoice.StatusPaid},
		{"a declined card; a canceled intent leaves the invoice open", false, "tok_chargeDeclined", false, 0,
			commands.ErrIntentNotSucceeded, invoice.StatusOpen},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w, who, id := anOpenInvoice(t, 1250)
			if tc.cannot {
				w.withoutCancel()
			}
			// given a payment waiting for 3-D Secure the customer abandoned
			waiting, err := w.invoices.Pay(t.Context(), newEnv(), commands.InvoicePayment{Target: who, InvoiceID: id,
				Token: "tok_threeDSecure2Required"})
			if err != nil || waiting.Intent == nil {
				t.Fatalf("Pay = %+v, %v; want a payment intent", waiting, err)
			}
			// when they pay with another payment method
			other := commands.InvoicePayment{Target: who, InvoiceID: id, Token: tc.then}
			if tc.then == "card" {
				other = commands.InvoicePayment{Target: who, InvoiceID: id, SourceID: w.saveCard(t, who.CustomerID, "tok_mastercard")}
			}
			paid, err := w.invoices.Pay(t.Context(), newEnv(), other)
			// then a new attempt charges it, not the waiting intent
			if tc.thenPaid && (err != nil || paid.Intent != nil) {
				t.Fatalf("Pay with another method = %+v, %v; want it paid", paid, err)
			}
			if !tc.thenPaid && !errors.As(err, new(*payments.Declined)) {
				t.Fatalf("Pay with a declined card = %+v, %v; want the decline", paid, err)
			}
			if s := w.state(t, id); s.Attempts != 2 {
				t.Errorf("%d attempts, want a second one with its own gateway key", s.Attempts)
			}
			// when the customer completes the abandoned intent after all
			if err := w.completes(t, waiting.Intent.ID); !errors.Is(err, tc.lateError) {
				t.Fatalf("late confirmation: %v, want %v", err, tc.lateError)
			}
			// then the invoice was paid once, and what it did not owe was given back
			s := w.state(t, id)
			if s.Status != tc.status || w.kept(t) != s.AmountPaid || s.Refundable() != s.AmountPaid {
				t.Errorf("invoice %s paid %d (refundable %d), %d kept; want %s and only its payment kept", s.Status,
					s.AmountPaid, s.Refundable(), w.kept(t), tc.status)
			}
			if refund, _ := s.RefundedUnder(invoice.StrayRefundKey(id, waiting.Intent.ID)); refund != tc.refunded {
				t.Errorf("late intent refunded %d, want %d", refund, tc.refunded)
			}
		})
	}
}

func TestAPaymentAgainWithTheSameMethodAnswersTheWaitingIntent(t *testing.T) {
	t.Parallel()
	w, who, _ := anOpenInvoice(t, 1250)
	card := w.saveCard(t, who.CustomerID, "tok_visa")
	id := w.open(t, who.CustomerID, 900)
	threeDS := commands.InvoicePayment{Target: who, InvoiceID: id, Token: "tok_threeDSecure2Required"}
	first, err := w.invoices.Pay(t.Context(), newEnv(), threeDS)
	if err != nil || first.Intent == nil {
		t.Fatalf("Pay = %+v, %v", first, err)
	}
	// when the customer retries with the same method, then the same intent comes back, no new attempt
	again, err := w.invoices.Pay(t.Context(), newEnv(), threeDS)
	if err != nil || again.Intent == nil || again.Intent.ID != first.Intent.ID || w.state(t, id).Attempts != 1 {
		t.Fatalf("again = %+v, %v; want intent %s and one attempt", again, err, first.Intent.ID)
	}
	// and a saved card then pays it
	if _, err := w.invoices.Pay(t.Context(), newEnv(), commands.InvoicePayment{Target: who, InvoiceID: id, SourceID: card}); err != nil {
		t.Fatal(err)
	}
	if s := w.state(t, id); s.Status != invoice.StatusPaid || w.kept(t) != 900 {
		t.Errorf("invoice %s, %d kept; want paid by the card alone", s.Status, w.kept(t))
	}
}

func TestACardWaitingForItsSetupIsRefusedAsSuch(t *testing.T) {
	t.Parallel()
	w, who, id := anOpenInvoice(t, 1250)
	// given a card saved waiting for its 3-D Secure setup
	card := w.saveCard(t, who.CustomerID, "tok_threeDSecure2Required")
	// when the customer pays with it, then they are told it waits for authentication, and nothing is charged
	_, err := w.invoices.Pay(t.Context(), newEnv(), commands.InvoicePayment{Target: who, InvoiceID: id, SourceID: card})
	if !errors.Is(err, commands.ErrSourceAwaitingAuthentication) || !errors.Is(err, commands.ErrSourceNotFound) {
		t.Fatalf("Pay = %v, want ErrSourceAwaitingAuthentication (a kind of ErrSourceNotFound)", err)
	}
	if s := w.state(t, id); s.Status != invoice.StatusOpen || s.Attempts != 0 || w.charges(t) != 0 {
		t.Errorf("invoice %+v, %d charges; want it open, untouched", s, w.charges(t))
	}
}
