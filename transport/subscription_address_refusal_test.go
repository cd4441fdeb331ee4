package transport

import (
	"fmt"
	"net/http"
	"testing"
)

// anotherCustomersAddressIsNotFoundEverywhere: an address_id that is not the caller's is answered "Address
// not found." on renew and change, as create and the price preview answer it (docs/pricing.md).
func anotherCustomersAddressIsNotFoundEverywhere(t *testing.T, w *subscriptionWorld) {
	token, _ := w.register(t, "ann@addressrefusal.example.com", "a-long-password")
	bob, _ := w.register(t, "bob@addressrefusal.example.com", "a-long-password")
	rec := w.call(http.MethodPost, fmt.Sprintf("/address?site_id=%d", customerSite), bob, `{"line1":"4 Elm St","country":"US","state":"NY"}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("add address: %d %s", rec.Code, rec.Body)
	}
	bobs := addedAddressID(t, decodeBody[map[string]any](t, rec))
	id := w.subscribe(t, token).Data.Subscriptions[0].ID
	cases := []struct {
		path, body string
		status     int
	}{
		{"/subscription", fmt.Sprintf(`{"plan_id":4061,"gateway_token":"tok_visa","address_id":%d}`, bobs), 404},
		{"/subscription/renew", fmt.Sprintf(`{"plan_id":4061,"subscription_id":%d,"address_id":%d}`, id, bobs), 400},
		{"/subscription/change", fmt.Sprintf(`{"plan_id":4061,"subscription_id":%d,"address_id":%d}`, id, bobs), 404},
	}
	for _, c := range cases {
		// when Ann names Bob's address
		rec := w.post(c.path, token, c.body, "")
		// then it is not found, in the same words everywhere
		assertError(t, rec, c.status, "Address not found.")
	}
}
