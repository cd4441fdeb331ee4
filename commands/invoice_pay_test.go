package commands_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"slices"
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// ann is the first customer of every invoice world, in account 1.
func ann(t *testing.T, w *invoiceWorld) commands.Target {
	t.Helper()
	return commands.Target{CustomerID: w.register(t, "ann@example.com", "ann"), AccountID: 1, SiteID: 1}
}

// anOpenInvoice is a fresh invoice world where Ann owes an open invoice of amount usd cents.
func anOpenInvoice(t *testing.T, amount int64) (*invoiceWorld, commands.Target, int64) {
	t.Helper()
	w := newInvoiceWorld(t)
	who := ann(t, w)
	return w, who, w.open(t, who.CustomerID, amount)
}

func TestPayingAnInvoice(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// given an open invoice of 1250 and what the customer pays it with
		pay func(t *testing.T, w *invoiceWorld, who commands.Target, id int64) commands.InvoicePayment
		// then
		refusal error
		status  invoice.Status
		charges int
	}{
		{"with a token", func(_ *testing.T, _ *invoiceWorld, who commands.Target, id int64) commands.InvoicePayment {
			return commands.InvoicePayment{Target: who, InvoiceID: id, Gateway: "stripe", Token: "tok_visa"}
		}, nil, invoice.StatusPaid, 1},
		{"with a saved source", func(t *testing.T, w *invoiceWorld, who commands.Target, id int64) commands.InvoicePayment {
			return commands.InvoicePayment{Target: who, InvoiceID: id, SourceID: w.saveCard(t, who.CustomerID, "tok_mastercard")}
		}, nil, invoice.StatusPaid, 1},
		{"with a declined card", func(_ *testing.T, _ *invoiceWorld, who commands.Target, id int64) commands.InvoicePayment {
			return commands.InvoicePayment{Target: who, InvoiceID: id, Token: "tok_chargeDeclinedExpiredCard"}
		}, &payments.Declined{Reason: payments.ExpiredCard}, invoice.StatusOpen, 0},
		{"with a saved card that declines charges", func(t *testing.T, w *invoiceWorld, who commands.Target, id int64) commands.InvoicePayment {
			return commands.InvoicePayment{Target: who, InvoiceID: id, SourceID: w.saveCard(t, who.CustomerID, "tok_chargeCustomerFail")}
		}, &payments.Declined{Reason: payments.CardDeclined}, invoice.StatusOpen, 0},
		{"with another customer's source", func(t *testing.T, w *invoiceWorld, who commands.Target, id int64) commands.InvoicePayment {
			bob := w.register(t, "bob@example.com", "bob")
			return commands.InvoicePayment{Target: who, InvoiceID: id, SourceID: w.saveCard(t, bob, "tok_visa")}
		}, commands.ErrSourceNotFound, invoice.StatusOpen, 0},
		{"as another customer", func(t *testing.T, w *invoiceWorld, _ commands.Target, id int64) commands.InvoicePayment {
			bob := commands.Target{CustomerID: w.register(t, "bob@example.com", "bob"), AccountID: 1, SiteID: 1}
			return commands.InvoicePayment{Target: bob, InvoiceID: id, Token: "tok_visa"}
		}, invoice.ErrNotFound, invoice.StatusOpen, 0},
		{"from another account", func(_ *testing.T, _ *invoiceWorld, who commands.Target, id int64) commands.InvoicePayment {
			who.AccountID = 2
			return commands.InvoicePayment{Target: who, InvoiceID: id, Token: "tok_visa"}
		}, invoice.ErrNotFound, invoice.StatusOpen, 0},
		{"at a gateway not served here", func(_ *testing.T, _ *invoiceWorld, who commands.Target, id int64) commands.InvoicePayment {
			return commands.InvoicePayment{Target: who, InvoiceID: id, Gateway: "braintree", Token: "tok_visa"}
		}, commands.ErrUnknownGateway, invoice.StatusOpen, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w, who, id := anOpenInvoice(t, 1250)
			// when the customer pays it
			paid, err := w.invoices.Pay(t.Context(), newEnv(), tc.pay(t, w, who, id))
			// then the invoice and the gateway show the outcome
			if tc.refusal == nil && err != nil || tc.refusal != nil && !sameRefusal(err, tc.refusal) {
				t.Fatalf("Pay = %+v, %v; want %v", paid, err, tc.refusal)
			}
			if s := w.state(t, id); s.Status != tc.status {
				t.Errorf("invoice status = %s, want %s", s.Status, tc.status)
			}
			if got := w.charges(t); got != tc.charges {
				t.Errorf("charges = %d, want %d", got, tc.charges)
			}
		})
	}
}

// sameRefusal compares declines by reason, other refusals by identity.
func sameRefusal(err, want error) bool {
	if declined, ok := want.(*payments.Declined); ok {
		got, ok := errors.AsType[*payments.Declined](err)
		return ok && got.Reason == declined.Reason
	}
	return errors.Is(err, want)
}

func TestAnInvoiceNoLongerOpenIsNotPaid(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		settle  func(t *testing.T, w *invoiceWorld, who commands.Target, id int64) error
		refusal error
		charges int
	}{
		{"paid", func(t *testing.T, w *invoiceWorld, who commands.Target, id int64) error {
			_, err := w.invoices.Pay(t.Context(), newEnv(), commands.InvoicePayment{Target: who, InvoiceID: id, Token: "tok_visa"})
			return err
		}, invoice.ErrAlreadyPaid, 1},
		{"void", func(t *testing.T, w *invoiceWorld, _ commands.Target, id int64) error {
			_, err := w.invoices.Void(t.Context(), newEnv(), id)
			return err
		}, invoice.ErrVoid, 0},
		{"uncollectible", func(t *testing.T, w *invoiceWorld, _ commands.Target, id int64) error {
			_, err := w.invoices.MarkUncollectible(t.Context(), newEnv(), id)
			return err
		}, invoice.ErrUncollectible, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given an invoice that is no longer open
			w, who, id := anOpenInvoice(t, 1250)
			if err := tc.settle(t, w, who, id); err != nil {
				t.Fatal(err)
			}
			// when the customer pays it
			_, err := w.invoices.Pay(t.Context(), newEnv(), commands.InvoicePayment{Target: who, InvoiceID: id, Token: "tok_visa"})
			// then it is refused and nothing more is charged
			if !errors.Is(err, tc.refusal) {
				t.Fatalf("Pay = %v, want %v", err, tc.refusal)
			}
			if got := w.charges(t); got != tc.charges {
				t.Errorf("charges = %d, want %d", got, tc.charges)
			}
		})
	}
}

func TestAnInvoiceOfZeroIsPaidWithoutAGateway(t *testing.T) {
	t.Parallel()
	w := newInvoiceWorld(t)
	who := ann(t, w)
	// when an invoice of zero is opened
	id := w.open(t, who.CustomerID, 0)
	// then it is paid, and the gateway was never asked
	if s := w.state(t, id); s.Status != invoice.StatusPaid || s.Attempts != 0 || w.charges(t) != 0 {
		t.Fatalf("invoice = %+v with %d charges, want paid without any", s, w.charges(t))
	}
}

func TestAnInvoiceIsOpenedForACustomerOfTheAccount(t *testing.T) {
	t.Parallel()
	w := newInvoiceWorld(t)
	who := ann(t, w)
	for _, tc := range []struct {
		name string
		in   commands.NewInvoice
	}{
		{"an unknown customer", commands.NewInvoice{Invoice: invoice.Create{CustomerID: who.CustomerID + 1000, Currency: "usd",
			Lines: []invoice.Line{{UnitAmount: 1, Quantity: 1}}}}},
		{"a customer of another account", commands.NewInvoice{AccountID: 2, Invoice: invoice.Create{CustomerID: who.CustomerID,
			Currency: "usd", Lines: []invoice.Line{{UnitAmount: 1, Quantity: 1}}}}},
	} {
		// when an invoice is opened for them, then it is refused
		if _, err := w.invoices.Create(t.Context(), newEnv(), tc.in); !errors.Is(err, customer.ErrNotRegistered) {
			t.Errorf("%s: Create = %v, want customer.ErrNotRegistered", tc.name, err)
		}
	}
}

func TestAThreeDSecurePaymentIsCompletedThroughItsIntent(t *testing.T) {
	t.Parallel()
	w, who, id := anOpenInvoice(t, 1250)
	// when the invoice is paid with a card needing 3-D Secure
	pay := commands.InvoicePayment{Target: who, InvoiceID: id, Token: "tok_threeDSecure2Required"}
	paid, err := w.invoices.Pay(t.Context(), newEnv(), pay)
	// then a payment intent waits for the customer and the invoice stays open
	if err != nil || paid.Intent == nil || paid.Intent.Status != payments.IntentRequiresAction || paid.Intent.ClientSecret == "" {
		t.Fatalf("Pay = %+v, %v; want a payment intent requiring action", paid, err)
	}
	if s := w.state(t, id); s.Status != invoice.StatusOpen {
		t.Fatalf("status = %s before authentication, want open", s.Status)
	}
	// when paying again before the customer authenticated, then the same intent comes back
	again, err := w.invoices.Pay(t.Context(), newEnv(), pay)
	if err != nil || again.Intent == nil || again.Intent.ID != paid.Intent.ID {
		t.Fatalf("Pay again = %+v, %v; want intent %s again", again, err, paid.Intent.ID)
	}
	// when the customer authenticates and the confirmation arrives, twice
	if _, err := w.sandbox.Confirm(t.Context(), paid.Intent.ID); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := w.intents.Confirm(t.Context(), newEnv(), paid.Intent.ID); err != nil {
			t.Fatalf("Confirm: %v", err)
		}
	}
	// then the invoice is paid once, by that intent
	if s := w.state(t, id); s.Status != invoice.StatusPaid || s.Attempts != 1 || w.charges(t) != 1 {
		t.Fatalf("invoice = %+v with %d charges, want paid by attempt 1", s, w.charges(t))
	}
	// and the charge shows the card the intent charged
	recorded := w.recorded(t, id)
	i := slices.IndexFunc(recorded, func(e eventstore.RecordedEvent) bool { return e.Type == "invoice.paid" })
	var settled invoice.Paid
	if i < 0 || json.Unmarshal(recorded[i].Data, &settled) != nil || settled.Card.Brand != "visa" ||
		settled.Card.Last4 == "" {
		t.Errorf("invoice.paid = %+v, want the visa the intent charged", settled)
	}
}

func TestAPaymentSurvivesAFailureAtEachStep(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		fault func(w *invoiceWorld)
	}{
		{"the gateway cannot be reached after the attempt was recorded",
			func(w *invoiceWorld) { w.gateway.next.Store(unavailableBefore) }},
		{"the gateway times out after charging", func(w *invoiceWorld) { w.gateway.next.Store(timesOutAfterCharge) }},
		{"the charge cannot be recorded", func(w *invoiceWorld) { name := "invoice.paid"; w.store.refuse.Store(&name) }},
		{"the attempt cannot be recorded", func(w *invoiceWorld) {
			name := "invoice.payment_attempted"
			w.store.refuse.Store(&name)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w, who, id := anOpenInvoice(t, 1250)
			// given a payment failing at that step
			tc.fault(w)
			pay := commands.InvoicePayment{Target: who, InvoiceID: id, Token: "tok_visa"}
			if _, err := w.invoices.Pay(t.Context(), newEnv(), pay); err == nil {
				t.Fatal("the faulty payment succeeded")
			}
			// then the invoice is not paid without its charge
			if s := w.state(t, id); s.Status != invoice.StatusOpen {
				t.Fatalf("status after the failure = %s, want open", s.Status)
			}
			// when the customer pays again (another request, another command)
			if _, err := w.invoices.Pay(t.Context(), newEnv(), pay); err != nil {
				t.Fatalf("Pay after the failure: %v", err)
			}
			// then the invoice is paid, and the customer was charged once
			if s := w.state(t, id); s.Status != invoice.StatusPaid || w.charges(t) != 1 {
				t.Fatalf("invoice = %+v with %d charges, want paid by one charge", s, w.charges(t))
			}
		})
	}
}

func TestConcurrentPaymentsChargeOnce(t *testing.T) {
	t.Parallel()
	w, who, id := anOpenInvoice(t, 1250)
	// when eight requests pay the invoice at once
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = w.invoices.Pay(t.Context(), commands.Envelope{CommandID: fmt.Sprint("pay-", i)},
				commands.InvoicePayment{Target: who, InvoiceID: id, Token: "tok_visa"})
		})
	}
	wg.Wait()
	// then each was paid or told it was paid already, and one charge took the money
	for i, err := range errs {
		if err != nil && !errors.Is(err, invoice.ErrAlreadyPaid) {
			t.Errorf("request %d: %v", i, err)
		}
	}
	if s := w.state(t, id); s.Status != invoice.StatusPaid || s.Attempts != 1 || w.charges(t) != 1 {
		t.Fatalf("invoice = %+v with %d charges, want paid by one attempt and one charge", s, w.charges(t))
	}
}
