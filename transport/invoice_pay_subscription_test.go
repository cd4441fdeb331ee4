package transport

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/commands"
)

// TestPayingASubscriptionsInvoiceAnswersItActive: the answer to POST /invoices/{id}/pay shows what the
// payment did to the invoice's subscription, not only to the invoice (read-your-writes of both).
func TestPayingASubscriptionsInvoiceAnswersItActive(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var waited []commands.Written // what the subscriptions wait was asked for
	w := subscriptionStack(t, func(d *Dependencies) {
		wait := d.WaitForSubscriptions
		d.WaitForSubscriptions = func(ctx context.Context, written commands.Written) error {
			mu.Lock()
			waited = append(waited, written)
			mu.Unlock()
			return wait(ctx, written)
		}
	})
	token, _ := w.register(t, "ann@sendinvoice.example.com", customerPassword)
	// given a subscription to be paid by invoice, incomplete with its first invoice open
	created := decodeBody[subscribed](t, w.post("/subscription", token, `{"plan_id":4054,"pay_via_send_invoice":true}`, ""))
	if len(created.Data.Subscriptions) != 1 || created.Data.Subscriptions[0].Status != "incomplete" ||
		len(created.Data.Invoices) != 1 || created.Data.Invoices[0].Status != "open" {
		t.Fatalf("created = %+v, want one incomplete subscription and its open invoice", created.Data)
	}
	mu.Lock()
	waited = nil
	mu.Unlock()
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
	// and it waited for the subscriptions read model to reach the request's last write, the payment
	// recorded on the subscription (nothing else writes in this stack)
	mu.Lock()
	defer mu.Unlock()
	if head := mustHead(t, w.store); len(waited) != 1 || waited[0].LogPosition() != head {
		t.Errorf("the subscriptions wait was asked for %v, want once for %s", waited, head)
	}
}
