package transport

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// requiredFieldCases are requests that leave out a field their endpoint requires, across the API: each is
// answered with the field's i18n.Required message, 400 in the validation shape, or in the error shape
// where the Open API makes a missing subscription_id a 404 (#28, #29).
func requiredFieldCases(membership int64) []struct {
	method, path, body, field string
	status                    int
} {
	return []struct {
		method, path, body, field string
		status                    int
	}{
		{http.MethodPost, "/subscription", `{}`, "plan_id", 400},
		{http.MethodPost, "/subscription/renew", `{"subscription_id":1}`, "plan_id", 400},
		{http.MethodPost, "/subscription/change", `{"plan_id":1}`, "subscription_id", 400},
		{http.MethodPost, "/subscription/gift/renew", `{"plan_id":1,"subscription_id":1}`, "quantity", 400},
		{http.MethodPost, "/gift/redeem", `{}`, "gift_code", 400},
		{http.MethodPost, fmt.Sprintf("/subscriptions/%d/members/invite", membership), `{}`, "invitation_emails", 400},
		{http.MethodPost, "/subscription/cancel", `{}`, "subscription_id", 404},
		{http.MethodPost, "/subscription/reactivate", `{}`, "subscription_id", 404},
		{http.MethodGet, "/plan", "", "plan_id", 400},
		{http.MethodGet, "/plan/domain/authorization", "", "email", 400},
		{http.MethodPost, "/ecommerce/order-summary", `{"items":[]}`, "items", 400},
		{http.MethodPost, "/address", `{"country":"US"}`, "line1", 400},
		{http.MethodPut, "/source/1", `{}`, "cc_exp", 400},
		{http.MethodPost, "/auth/login", `{"email":"ann@example.com"}`, "password", 400},
	}
}

func aRequiredFieldIsWordedOneWayEverywhere(t *testing.T, w *subscriptionWorld) {
	token, _ := w.register(t, "ann9@example.com", "a-long-password")
	membership := w.membership(t, token, 4053)
	for _, tc := range requiredFieldCases(membership) {
		for _, lang := range []i18n.Language{i18n.English, i18n.German, i18n.Korean} {
			t.Run(fmt.Sprintf("%s %s in %s", tc.method, tc.path, lang), func(t *testing.T) {
				// when the request leaves the field out
				req := w.request(tc.method, fmt.Sprintf("%s?site_id=%d", tc.path, customerSite), token, tc.body)
				req.Header.Set("Accept-Language", string(lang))
				rec := serve(w.router, req)
				// then the field is required in the one wording of the language
				want := i18n.Localize(lang, i18n.Required(tc.field))
				if want == string(i18n.Required(tc.field)) {
					t.Fatalf("no message for %s", tc.field)
				}
				var body struct {
					Errors map[string][]string `json:"errors"`
					Error  struct{ Message string }
				}
				_ = json.Unmarshal(rec.Body.Bytes(), &body)
				got := body.Error.Message
				if tc.status == http.StatusBadRequest && len(body.Errors[tc.field]) > 0 {
					got = body.Errors[tc.field][0]
				}
				if rec.Code != tc.status || got != want {
					t.Errorf("%d %s, want %d with %q", rec.Code, rec.Body, tc.status, want)
				}
			})
		}
	}
}
