package transport

import (
	"net/http"
	"testing"
)

// aNumberFieldSaysWhatIsWrongWithIt: a quantity that is no integer is told it must be an integer (not a
// range it may well be in), and an id that is an integer below 1 is told it must be positive (not that it
// must be an integer), on create, renew and change alike.
func aNumberFieldSaysWhatIsWrongWithIt(t *testing.T, w *subscriptionWorld) {
	token, _ := w.register(t, "ann@numbermessages.example.com", "a-long-password")
	quantity, positive := "The quantity must be an integer.", "This field must be a positive integer."
	cases := []struct{ name, path, body, want string }{
		{"change, a word as quantity", "/subscription/change", `{"plan_id":4051,"subscription_id":9,"quantity":"abc"}`, "quantity: " + quantity},
		{"change, a fraction as quantity", "/subscription/change", `{"plan_id":4051,"subscription_id":9,"quantity":2.5}`, "quantity: " + quantity},
		{"renew, a fraction as quantity", "/subscription/renew", `{"plan_id":4051,"subscription_id":9,"quantity":2.5}`, "quantity: " + quantity},
		{"renew, a quantity out of range", "/subscription/renew", `{"plan_id":4051,"subscription_id":9,"quantity":0}`,
			"quantity: The quantity must be between 1 and 10000."},
		{"create, a negative plan id", "/subscription", `{"plan_id":-1,"gateway_token":"tok_visa"}`, "plan_id: " + positive},
		{"create, a zero address id", "/subscription", `{"plan_id":4051,"address_id":0,"gateway_token":"tok_visa"}`, "address_id: " + positive},
		{"create, a word as plan id", "/subscription", `{"plan_id":"abc","gateway_token":"tok_visa"}`, "plan_id: This field must be an integer."},
		{"renew, a negative plan id", "/subscription/renew", `{"plan_id":-1,"subscription_id":9}`, "plan_id: " + positive},
		{"change, a zero subscription id", "/subscription/change", `{"plan_id":4051,"subscription_id":0}`, "subscription_id: " + positive},
	}
	for _, c := range cases {
		// when the body is sent
		rec := w.post(c.path, token, c.body, "")
		// then the field's message says what is wrong with it
		if rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d %s, want 400", c.name, rec.Code, rec.Body)
			continue
		}
		t.Run(c.name, func(t *testing.T) { assertFieldError(t, rec, c.want) })
	}
}
