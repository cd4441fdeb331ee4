package transport

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// addressesSubscriptionsUse is spec #47 over HTTP: the place of an address a subscription uses stays, and
// is_default_updated moves the customer's subscriptions onto the new default, where their plans are sold.
func addressesSubscriptionsUse(t *testing.T, w *subscriptionWorld) {
	token, _ := w.register(t, "ann@addresssubscriptions.example.com", "a-long-password")
	call := func(method, path, body string, status int) map[string]any {
		t.Helper()
		separator := "?"
		if strings.Contains(path, "?") {
			separator = "&"
		}
		rec := w.call(method, fmt.Sprintf("%s%ssite_id=%d", path, separator, customerSite), token, body)
		if rec.Code != status {
			t.Fatalf("%s %s %s = %d %s, want %d", method, path, body, rec.Code, rec.Body, status)
		}
		return decodeBody[map[string]any](t, rec)
	}
	add := func(body string) int64 {
		return addedAddressID(t, call(http.MethodPost, "/address", body, http.StatusOK))
	}
	quebec := add(`{"line1":"1 Main St","country":"CA","state":"QC","is_default":true}`)
	ontario := add(`{"line1":"2 Main St","country":"CA","state":"ON"}`)
	paris := add(`{"line1":"3 Rue Haute","country":"FR"}`)
	// given a subscription to plan 4060, sold in Canada only, shipped to Quebec
	call(http.MethodPost, "/subscription", fmt.Sprintf(`{"plan_id":4060,"gateway_token":"tok_visa","address_id":%d}`, quebec), http.StatusOK)

	// when Quebec's country and state change, then both are refused, each with its message
	answer := call(http.MethodPut, fmt.Sprintf("/address/%d", quebec), `{"country":"FR","state":""}`, http.StatusBadRequest)
	for field, want := range map[string]string{"country": "The country cannot change while a subscription uses this address.",
		"state": "The state cannot change while a subscription uses this address."} {
		if got := profileFieldMessages(t, answer, field); len(got) != 1 || got[0] != want {
			t.Errorf("%s messages = %v, want [%s]", field, got, want)
		}
	}
	// when the subscriptions move onto Paris, where plan 4060 is not sold, then nothing changes
	answer = call(http.MethodPut, fmt.Sprintf("/address/%d?language=fr", paris), `{"is_default":true,"is_default_updated":true}`,
		http.StatusBadRequest)
	if got := profileErrorMessage(t, answer); got != "La formule d'un abonnement n'est pas disponible dans le pays de cette adresse ; rien n'a été modifié." {
		t.Errorf("message = %q", got)
	}
	// when they move onto Ontario, then the answer shows the subscription there, Ontario the default
	data := call(http.MethodPut, fmt.Sprintf("/address/%d", ontario), `{"is_default":"true","is_default_updated":true}`,
		http.StatusOK)["data"].(map[string]any)
	subscription := data["subscriptions"].([]any)[0].(map[string]any)
	if got := int64(subscription["address_id"].(float64)); got != ontario {
		t.Errorf("the subscription is on address %d, want %d", got, ontario)
	}
	if addresses := addressesOf(t, data); addresses[ontario]["is_default"] != true || addresses[quebec]["is_default"] != false {
		t.Errorf("defaults: Ontario %v, Quebec %v", addresses[ontario]["is_default"], addresses[quebec]["is_default"])
	}
	// when is_default_updated is not a boolean, then it is a field error, with the other fields' errors
	answer = call(http.MethodPut, fmt.Sprintf("/address/%d", ontario), `{"is_default_updated":"soon","country":"XX"}`,
		http.StatusBadRequest)
	if got := profileFieldMessages(t, answer, "is_default_updated"); len(got) != 1 || got[0] != "The is default updated field must be true or false." {
		t.Errorf("is_default_updated messages = %v", got)
	}
	if got := profileFieldMessages(t, answer, "country"); len(got) != 1 {
		t.Errorf("country messages = %v, want the country rule's", got)
	}
}
