package transport

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestASubscriptionPaidByInvoiceShowsHowAndWhenToPay: what a front end reads of a subscription paid by
// invoice (billing, days_until_due) and of its invoice (collection_method, due_date), against one charged to
// a card, as documented.
func TestASubscriptionPaidByInvoiceShowsHowAndWhenToPay(t *testing.T) {
	t.Parallel()
	checker := documentChecker(t)
	w := subscriptionStack(t)
	cases := []struct {
		name, email, body          string
		billing, collection        string
		daysUntilDue, dueAfterDays any // JSON values: a number, or nil for null
	}{
		{"paid by invoice", "ann@sendinvoice.example.com", `{"plan_id":4054,"pay_via_send_invoice":true}`,
			"send_invoice", "send_invoice", 30.0, 30.0},
		{"charged to a card", "bob@sendinvoice.example.com", `{"plan_id":4051,"gateway_token":"tok_visa"}`,
			"charge_automatically", "charge_automatically", nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			token, _ := w.register(t, tc.email, customerPassword)
			// when the customer subscribes
			req := w.request(http.MethodPost, fmt.Sprintf("/subscription?site_id=%d", customerSite), token, tc.body)
			rec := serve(w.router, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("subscribe: %d %s", rec.Code, rec.Body)
			}
			checker.CheckResponse(t, req, rec)
			// then the subscription says how it is paid and the invoice by when
			sub, bill := onlyOne(t, rec, "subscriptions"), onlyOne(t, rec, "invoices")
			if sub["billing"] != tc.billing || sub["days_until_due"] != tc.daysUntilDue {
				t.Errorf("subscription billing %v, days_until_due %v; want %s, %v", sub["billing"],
					sub["days_until_due"], tc.billing, tc.daysUntilDue)
			}
			var dueAfter any
			if due, ok := bill["due_date"].(float64); ok {
				dueAfter = (due - bill["created_at"].(float64)) / 86400
			}
			if bill["collection_method"] != tc.collection || dueAfter != tc.dueAfterDays {
				t.Errorf("invoice collection_method %v, due %v days after it was issued; want %s, %v",
					bill["collection_method"], dueAfter, tc.collection, tc.dueAfterDays)
			}
		})
	}
}

// TestAnUnpaidSubscriptionPaidByInvoiceCanBeCanceled: the customer may walk away from a subscription whose
// first invoice they never paid; it ends at once and the invoice no longer asks to be paid.
func TestAnUnpaidSubscriptionPaidByInvoiceCanBeCanceled(t *testing.T) {
	t.Parallel()
	w := subscriptionStack(t)
	token, _ := w.register(t, "ann@sendinvoice.example.com", customerPassword)
	created := decodeBody[subscribed](t, w.post("/subscription", token, `{"plan_id":4054,"pay_via_send_invoice":true}`, ""))
	if len(created.Data.Subscriptions) != 1 || created.Data.Subscriptions[0].Status != "incomplete" {
		t.Fatalf("created %+v, want one incomplete subscription", created.Data.Subscriptions)
	}
	// when the customer cancels it
	rec := w.post("/subscription/cancel", created.Data.AuthToken,
		fmt.Sprintf(`{"subscription_id":%d}`, created.Data.Subscriptions[0].ID), "")
	if rec.Code != http.StatusOK {
		t.Fatalf("cancel: %d %s", rec.Code, rec.Body)
	}
	// then it is canceled, and its invoice is no longer open
	canceled := decodeBody[subscribed](t, rec)
	if len(canceled.Data.Subscriptions) != 0 || len(canceled.Data.ExpiredSubscriptions) != 1 ||
		canceled.Data.ExpiredSubscriptions[0].Status != "canceled" || len(canceled.Data.Invoices) != 0 {
		t.Errorf("subscriptions %+v, expired %+v, invoices %+v; want it canceled and no invoice to pay",
			canceled.Data.Subscriptions, canceled.Data.ExpiredSubscriptions, canceled.Data.Invoices)
	}
}

// onlyOne is the one element of the Customer's array named list in the answer rec.
func onlyOne(t *testing.T, rec *httptest.ResponseRecorder, list string) map[string]any {
	t.Helper()
	var body struct {
		Data map[string]json.RawMessage `json:"data"`
	}
	var items []map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(body.Data[list], &items); err != nil || len(items) != 1 {
		t.Fatalf("%s = %s (%v), want one", list, body.Data[list], err)
	}
	return items[0]
}
