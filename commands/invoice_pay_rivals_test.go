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
