package commands_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// paidWith is the card the invoice's invoice.paid event says took the money ("" when not paid).
func paidWith(t *testing.T, w *invoiceWorld, id int64) string {
	t.Helper()
	recorded := w.recorded(t, id)
	i := slices.IndexFunc(recorded, func(e eventstore.RecordedEvent) bool { return e.Type == "invoice.paid" })
	if i < 0 {
		return ""
	}
	var paid invoice.Paid
	if err := json.Unmarshal(recorded[i].Data, &paid); err != nil {
		t.Fatal(err)
	}
	return paid.Card.Brand
}

func TestAPayWhoseCardWasNotChargedIsToldTheInvoiceIsPaid(t *testing.T) {
	t.Parallel()
	// given an invoice whose attempt with a mastercard token is pending, its outcome unknown (no answer)
	w, who, id := anOpenInvoice(t, 1250)
	w.gateway.next.Store(unavailableBefore)
	mastercard := commands.InvoicePayment{Target: who, InvoiceID: id, Gateway: "stripe", Token: "tok_mastercard"}
	if _, err := w.invoices.Pay(t.Context(), newEnv(), mastercard); err == nil {
		t.Fatal("the first pay succeeded without its gateway")
	}
	// when the customer pays with a saved visa
	visa := commands.InvoicePayment{Target: who, InvoiceID: id, SourceID: w.saveCard(t, who.CustomerID, "tok_visa")}
	paid, err := w.invoices.Pay(t.Context(), newEnv(), visa)
	// then the pending mastercard attempt paid the invoice, and this pay is told so: its visa was not charged
	if !errors.Is(err, invoice.ErrAlreadyPaid) {
		t.Fatalf("Pay with the visa = %+v, %v; want invoice.ErrAlreadyPaid", paid, err)
	}
	if brand := paidWith(t, w, id); brand != "mastercard" || w.charges(t) != 1 {
		t.Fatalf("paid with %q by %d charges, want the mastercard's one", brand, w.charges(t))
	}
	// and a retry of the mastercard's own request is answered as paid
	if _, err := w.invoices.Pay(t.Context(), newEnv(), mastercard); !errors.Is(err, invoice.ErrAlreadyPaid) {
		t.Fatalf("Pay with the mastercard again = %v, want invoice.ErrAlreadyPaid from a new request", err)
	}
}

func TestAPayIsNotAnsweredWithAnotherCardsThreeDSecure(t *testing.T) {
	t.Parallel()
	// given an invoice whose attempt with a card that asks for 3-D Secure is pending, its outcome unknown
	w, who, id := anOpenInvoice(t, 1250)
	w.gateway.next.Store(unavailableBefore)
	challenged := commands.InvoicePayment{Target: who, InvoiceID: id, Gateway: "stripe", Token: "tok_threeDSecure2Required"}
	if _, err := w.invoices.Pay(t.Context(), newEnv(), challenged); err == nil {
		t.Fatal("the first pay succeeded without its gateway")
	}
	// when the customer pays with a saved visa, and the pending attempt now asks for 3-D Secure
	visa := commands.InvoicePayment{Target: who, InvoiceID: id, SourceID: w.saveCard(t, who.CustomerID, "tok_visa")}
	paid, err := w.invoices.Pay(t.Context(), newEnv(), visa)
	// then the visa replaced that attempt and paid: the answer carries no other card's challenge, and the
	// challenged card's charge (behind its intent) took nothing
	if err != nil || paid.Intent != nil {
		t.Fatalf("Pay with the visa = %+v, %v; want paid by the visa", paid, err)
	}
	if brand := paidWith(t, w, id); brand != "visa" || w.charges(t) != 2 {
		t.Fatalf("paid with %q by %d charges, want the visa's and the challenged card's", brand, w.charges(t))
	}
	var canceled int
	err = w.db.QueryRowContext(t.Context(), `SELECT count(*) FROM payments_sandbox_charges c
		JOIN payments_sandbox_intents i ON i.id = c.intent WHERE i.status = 'canceled'`).Scan(&canceled)
	if err != nil || canceled != 1 {
		t.Fatalf("%d charges behind a canceled intent (%v), want the challenged card's", canceled, err)
	}
}

func TestConcurrentPaysWithTwoCardsSucceedOnlyForTheCardCharged(t *testing.T) {
	t.Parallel()
	w, who, id := anOpenInvoice(t, 1250)
	visa := commands.InvoicePayment{Target: who, InvoiceID: id, SourceID: w.saveCard(t, who.CustomerID, "tok_visa")}
	mastercard := commands.InvoicePayment{Target: who, InvoiceID: id, Gateway: "stripe", Token: "tok_mastercard"}
	// when three requests pay with a saved visa and three with a mastercard token, at once
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		pay := map[bool]commands.InvoicePayment{true: visa, false: mastercard}[i%2 == 0]
		wg.Go(func() {
			_, errs[i] = w.invoices.Pay(t.Context(), commands.Envelope{CommandID: fmt.Sprint("pay-", i)}, pay)
		})
	}
	wg.Wait()
	// then one card paid, once, and only requests paying with that card succeeded; the others were told
	// the invoice is paid
	brand := paidWith(t, w, id)
	if s := w.state(t, id); s.Status != invoice.StatusPaid || w.charges(t) != 1 {
		t.Fatalf("invoice = %+v with %d charges, want paid by one charge", s, w.charges(t))
	}
	for i, err := range errs {
		mine := map[bool]string{true: "visa", false: "mastercard"}[i%2 == 0]
		switch {
		case mine == brand && err != nil && !errors.Is(err, invoice.ErrAlreadyPaid):
			t.Errorf("request %d (%s, the card charged): %v", i, mine, err)
		case mine != brand && !errors.Is(err, invoice.ErrAlreadyPaid):
			t.Errorf("request %d (%s, not charged): %v, want invoice.ErrAlreadyPaid", i, mine, err)
		}
	}
}
