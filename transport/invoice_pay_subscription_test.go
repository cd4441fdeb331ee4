package transport

import (
	"fmt"
	"net/http"
	"testing"
)

// TestPayingASubscriptionsInvoiceAnswersItActive: the answer to POST /invoices/{id}/pay shows what the
// payment did to the invoice's subscription, not only to the invoice (read-your-writes of both).
func TestPayingASubscriptionsInvoiceAnswersItActive(t *testing.T) {
	t.Parallel()
	w := subscriptionStack(t)
	token, _ := w.register(t, "ann@sendinvoice.example.com", customerPassword)
	// given a subscription to be paid by invoice, incomplete with its first invoice open
	created := decodeBody[subscribed](t, w.post("/subscription", token, `{"plan_id":4054,"pay_via_send_invoice":true}`, ""))
	if len(created.Data.Subscriptions) != 1 || created.Data.Subscriptions[0].Status != "incomplete" ||
		len(created.Data.Invoices) != 1 || created.Data.Invoices[0].Status != "open" {
		t.Fatalf("created = %+v, want one incomplete subscription and its open invoice", created.Data)
	}
	// when the customer pays the invoice
	rec := w.post(fmt.Sprintf("/invoices/%d/pay", created.Data.Invoices[0].ID), created.Data.AuthToken,
		`{"payment_gateway":"stripe","gateway_token":"tok_visa"}`, "")
	if rec.Code != http.StatusOK {
		t.Fatalf("pay: %d %s", rec.Code, rec.Body)
	}
	// then the answer shows the invoice paid and the subscription active
	paid := decodeBody[subscribed](t, rec)
	if len(paid.Data.Invoices) != 1 || paid.Data.Invoices[0].Status != "paid" {
		t.Errorf("invoices = %+v, want the one paid", paid.Data.Invoices)
	}
	if len(paid.Data.Subscriptions) != 1 || paid.Data.Subscriptions[0].Status != "active" {
		t.Errorf("subscriptions = %+v, want the one active", paid.Data.Subscriptions)
	}
}
