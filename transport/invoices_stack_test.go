package transport

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
	"github.com/pelcro-oss/pelcro-api/internal/payments/sandbox"
	"github.com/pelcro-oss/pelcro-api/projections"
	invoiceprojection "github.com/pelcro-oss/pelcro-api/projections/invoice"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// invoiceWorld is the wallet stack (walletStack) with invoices added: the invoice commands, the owner of
// payment intents in its confirmation entry point, and the invoices projection running.
type invoiceWorld struct {
	*customerWorld
	invoices        commands.Invoices
	intents         commands.Intents
	sandbox         *sandbox.Gateway
	waitForInvoices commands.ReadModelWait
}

func invoiceStack(t *testing.T) (Dependencies, *invoiceWorld) {
	t.Helper()
	deps, world, gateway := walletStack(t)
	runner := runProjections(t, projections.Config{Store: world.store, DB: world.db, Registry: invoice.Events},
		invoiceprojection.Projection())
	intents := deps.Intents.(commands.Intents)
	invoices := commands.Invoices{Store: world.store, Gateways: intents.Gateways, Intents: intents,
		IDs: commands.NewIDAllocator(world.store, commands.IDKindInvoice, commands.IDAllocatorConfig{})}
	intents.Owners[payments.PaymentIntent] = invoices.CompleteIntent // the map the wallet's copy shares
	w := &invoiceWorld{customerWorld: world, invoices: invoices, intents: intents, sandbox: gateway,
		waitForInvoices: func(ctx context.Context, written commands.Written) error {
			return runner.WaitFor(ctx, written.LogPosition(), invoiceprojection.Name)
		}}
	deps.InvoiceCommands, deps.WaitForInvoices = invoices, w.waitForInvoices
	// no subscriptions read model in this stack (subscriptionStack adds it): nothing to wait for there
	deps.WaitForSubscriptions = func(context.Context, commands.Written) error { return nil }
	world.router = newTestRouter(t, deps)
	return deps, w
}

// open opens an invoice of amount usd cents for the customer (as pelcro invoices create does) and returns
// its id.
func (w *invoiceWorld) open(t *testing.T, customerID, amount int64) int64 {
	t.Helper()
	r, err := w.invoices.Create(t.Context(), commands.Envelope{CommandID: fmt.Sprint("open-", customerID, "-", amount, "-", t.Name())},
		commands.NewInvoice{Invoice: invoice.Create{CustomerID: customerID, Currency: "usd",
			Lines: []invoice.Line{{Description: "Issue 12", UnitAmount: amount, Quantity: 1}}}})
	if err != nil {
		t.Fatalf("open an invoice: %v", err)
	}
	return r.InvoiceID
}

// pay sends POST /invoices/{id}/pay on the news site with the token and body.
func (w *invoiceWorld) pay(id any, token, body string) *httptest.ResponseRecorder {
	return w.call(http.MethodPost, fmt.Sprintf("/invoices/%v/pay?site_id=%d", id, customerSite), token, body)
}

// saveCard saves the card of a gateway token through POST /payment_methods and returns its id.
func (w *invoiceWorld) saveCard(t *testing.T, token, card string) int64 {
	t.Helper()
	rec := w.call(http.MethodPost, fmt.Sprintf("/payment_methods?site_id=%d", customerSite), token, fmt.Sprintf(`{"token":%q}`, card))
	if rec.Code != http.StatusCreated {
		t.Fatalf("save %s: %d %s", card, rec.Code, rec.Body)
	}
	return decodeBody[struct {
		Data struct {
			ID int64 `json:"id"`
		} `json:"data"`
	}](t, rec).Data.ID
}

// charges is how many charges the sandbox took money for.
func (w *invoiceWorld) charges(t *testing.T) int {
	t.Helper()
	var n int
	if err := w.db.GetContext(t.Context(), &n, `SELECT count(*) FROM payments_sandbox_charges`); err != nil {
		t.Fatal(err)
	}
	return n
}

// paidCustomer is the part of a pay answer the tests look at.
type paidCustomer struct {
	Data struct {
		ID        int64             `json:"id"`
		AuthToken string            `json:"auth_token"`
		Invoices  []queries.Invoice `json:"invoices"`
		Charges   []queries.Charge  `json:"charges"`
	} `json:"data"`
	Meta *struct {
		PaymentIntent payments.Intent `json:"payment_intent"`
	} `json:"meta"`
}
