package transport

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// aCouponCodeIsATextWithoutControlCharacters: every subscription endpoint refuses a coupon_code that is no
// text (a boolean, list or object), or holds a control character, as a 400 under coupon_code before looking
// the code up; a number is its text, looked up as any code (the API's one rule for texts, Params.Text).
func aCouponCodeIsATextWithoutControlCharacters(t *testing.T, w *subscriptionWorld) {
	token, _ := w.register(t, "ann@couponinput.example.com", "a-long-password")
	subscriptionID := w.subscribe(t, token).Data.Subscriptions[0].ID
	bodies := []struct{ path, body string }{
		{"/subscription", `{"plan_id":4051,"gateway_token":"tok_visa","coupon_code":%[1]s}`},
		{"/subscription/renew", `{"plan_id":4051,"subscription_id":%[2]d,"coupon_code":%[1]s}`},
		{"/subscription/change", `{"plan_id":4054,"subscription_id":%[2]d,"coupon_code":%[1]s}`},
	}
	codes := []struct{ name, code, message string }{
		{"a boolean", `true`, "This field must be a string."},
		{"an object", `{"code":"WELCOME10"}`, "This field must be a string."},
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
		// when the coupon code is sent as a number, then it is looked up as its text, a code no coupon has
		rec := w.post(b.path, token, fmt.Sprintf(b.body, `123`, subscriptionID), "")
		if !strings.Contains(rec.Body.String(), "Invalid coupon provided") {
			t.Errorf("%s with a number: %d %s, want the unknown coupon's answer", b.path, rec.Code, rec.Body)
		}
	}
}
