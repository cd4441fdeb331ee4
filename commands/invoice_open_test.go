package commands_test

import (
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// TestAnInvoiceOpenedUnderAGivenIdIsOpenedOnce: a process manager that recorded an invoice id before
// opening it may open it again after a crash; the second opening changes nothing, and the id cannot be
// taken for anything else.
func TestAnInvoiceOpenedUnderAGivenIdIsOpenedOnce(t *testing.T) {
	t.Parallel()
	w := newInvoiceWorld(t)
	who := ann(t, w)
	renewal := commands.NewInvoice{Invoice: invoice.Create{CustomerID: who.CustomerID, Currency: "usd",
		SubscriptionID: 7, BillingReason: invoice.ReasonSubscriptionCycle,
		Lines: []invoice.Line{{Description: "Monthly", UnitAmount: 999, Quantity: 1}}}}

	first, err := w.invoices.Open(t.Context(), newEnv(), 9001, renewal)
	if err != nil {
		t.Fatalf("open invoice 9001: %v", err)
	}
	again, err := w.invoices.Open(t.Context(), newEnv(), 9001, renewal)
	if err != nil || again.Revision != first.Revision {
		t.Fatalf("opening it again = revision %d, %v; want the same revision %d and no error", again.Revision, err, first.Revision)
	}
	if s := w.state(t, 9001); s.Total != 999 || s.SubscriptionID != 7 || s.Status != invoice.StatusOpen {
		t.Errorf("invoice 9001 = %+v, want one open invoice of 999 for subscription 7", s)
	}

	other := renewal
	other.Invoice.SubscriptionID = 8
	if _, err := w.invoices.Open(t.Context(), newEnv(), 9001, other); !errors.Is(err, invoice.ErrAlreadyExists) {
		t.Errorf("opening id 9001 for another subscription: %v, want invoice.ErrAlreadyExists", err)
	}
}
