package transport

import (
	"fmt"
	"net/http"
	"testing"
)

// aCouponCodeIsATextWithoutControlCharacters: every subscription endpoint refuses a coupon_code that is no
// JSON string, or holds a control character, as a 400 under coupon_code before looking the code up.
func aCouponCodeIsATextWithoutControlCharacters(t *testing.T, w *subscriptionWorld) {
	token, _ := w.register(t, "ann@couponinput.example.com", "a-long-password")
	subscriptionID := w.subscribe(t, token).Data.Subscriptions[0].ID
	bodies := []struct{ path, body string }{
		{"/subscription", `{"plan_id":4051,"gateway_token":"tok_visa","coupon_code":%[1]s}`},
		{"/subscription/renew", `{"plan_id":4051,"subscription_id":%[2]d,"coupon_code":%[1]s}`},
		{"/subscription/change", `{"plan_id":4054,"subscription_id":%[2]d,"coupon_code":%[1]s}`},
	}
	codes := []struct{ name, code, message string }{
		{"a number", `123`, "This field must be a string."},
		{"a control character", `"WELCOME10\u0000"`, "This field contains characters that are not allowed."},
		{"a line break", `"WELCOME\n10"`, "This field contains characters that are not allowed."},
	}
	for _, b := range bodies {
		for _, c := range codes {
			// when the coupon code is sent there
			rec := w.post(b.path, token, fmt.Sprintf(b.body, c.code, subscriptionID), "")
			// then it is refused as malformed
			if rec.Code != http.StatusBadRequest {
				t.Errorf("%s with %s: %d %s, want 400", b.path, c.name, rec.Code, rec.Body)
				continue
			}
			assertFieldError(t, rec, "coupon_code: "+c.message)
		}
	}
}
