package transport

import (
	"fmt"
	"net/http"
	"testing"
)

// aPlanNeedingAnAddressIsSoldAtTheDefaultShippingAddress: a plan that needs an address, bought without
// address_id, is sold at the customer's default shipping address on create, renew and change, as the price
// preview prices it (docs/pricing.md), so the preview never quotes a sale these refuse.
func aPlanNeedingAnAddressIsSoldAtTheDefaultShippingAddress(t *testing.T, w *subscriptionWorld) {
	token, _ := w.register(t, "ann@defaultaddress.example.com", "a-long-password")
	rec := w.call(http.MethodPost, fmt.Sprintf("/address?site_id=%d", customerSite), token,
		`{"line1":"1 Main St","country":"US","state":"NY","is_default":true}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("add address: %d %s", rec.Code, rec.Body)
	}
	newYork := addedAddressID(t, decodeBody[map[string]any](t, rec))
	// given two subscriptions of a plan that needs no address, so they hold none
	renewed := w.subscribe(t, token).Data.Subscriptions[0].ID
	changed := renewed
	for _, s := range w.subscribe(t, token).Data.Subscriptions {
		changed = max(changed, s.ID)
	}

	cases := []struct{ name, path, body string }{
		{"change", "/subscription/change", fmt.Sprintf(`{"plan_id":4061,"subscription_id":%d}`, changed)},
		{"renew", "/subscription/renew", fmt.Sprintf(`{"plan_id":4061,"subscription_id":%d}`, renewed)},
		{"create", "/subscription", `{"plan_id":4061,"gateway_token":"tok_visa"}`},
	}
	var last subscribed
	for _, c := range cases {
		// when Ann buys plan 4061 without naming an address
		rec := w.post(c.path, token, c.body, "")
		// then it is sold at her default shipping address
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s, want 200 at the default shipping address", c.name, rec.Code, rec.Body)
		}
		last = decodeBody[subscribed](t, rec)
	}
	// and the subscription changed and the one created hold it
	for _, s := range last.Data.Subscriptions {
		if s.ID != renewed && (s.AddressID == nil || *s.AddressID != newYork) {
			t.Errorf("subscription %d address = %v, want %d", s.ID, s.AddressID, newYork)
		}
	}
}
