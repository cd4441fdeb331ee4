package transport

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

// X-Request-Id is a correlation id only: two requests that share one are two commands, whatever their
// bodies. Each case sends a first request and then a different second one under the same X-Request-Id,
// and checks that the second took effect.

// sameRequestID sends req with X-Request-Id "shared-id" and returns the answer, failing unless it is a 200.
func sameRequestID(t *testing.T, router http.Handler, req *http.Request) map[string]any {
	t.Helper()
	req.Header.Set(requestIDHeader, "shared-id")
	rec := serve(router, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s %s = %d %s", req.Method, req.URL, rec.Code, rec.Body)
	}
	if got := rec.Header().Get(requestIDHeader); got != "shared-id" {
		t.Fatalf("X-Request-Id echoed %q, want the caller's", got)
	}
	return decodeBody[map[string]any](t, rec)
}

// testARepeatedRequestIDIsNotARetry runs in TestIdempotencyKeysOfCustomers, on its stack.
func testARepeatedRequestIDIsNotARetry(t *testing.T, _ Dependencies, world *customerWorld) {
	t.Parallel()
	site := fmt.Sprintf("?site_id=%d", customerSite)
	cases := []struct {
		name string
		run  func(t *testing.T, token string)
	}{
		{"PUT /customer", func(t *testing.T, token string) {
			first := sameRequestID(t, world.router, world.request(http.MethodPut, "/customer"+site, token, `{"first_name":"Ann"}`))
			token = profileFreshToken(t, first, token)
			// when another change is sent with the same request id, then it is made
			second := sameRequestID(t, world.router, world.request(http.MethodPut, "/customer"+site, token, `{"first_name":"Bea"}`))
			if got := profileData(t, second)["first_name"]; got != "Bea" {
				t.Fatalf("first_name after the second update = %v, want Bea", got)
			}
		}},
		{"POST /address", func(t *testing.T, token string) {
			first := sameRequestID(t, world.router, world.request(http.MethodPost, "/address"+site, token, `{"line1":"1 Main St","country":"US","state":"NY"}`))
			token = profileFreshToken(t, first, token)
			// when another address is added with the same request id, then the customer has both
			second := sameRequestID(t, world.router, world.request(http.MethodPost, "/address"+site, token, `{"line1":"2 Side St","country":"CA","state":"QC"}`))
			if got := addressesOf(t, profileData(t, second)); len(got) != 2 || addedAddressID(t, second) == addedAddressID(t, first) {
				t.Fatalf("addresses after the second add = %v (ids %d, %d)", got, addedAddressID(t, first), addedAddressID(t, second))
			}
		}},
		{"POST /password/update", func(t *testing.T, token string) {
			change := func(token, old, new string) *http.Request {
				return world.request(http.MethodPost, "/password/update"+site, token, fmt.Sprintf(
					`{"old_password":%q,"new_password":%q,"confirm_new_password":%q}`, old, new, new))
			}
			// the password change cuts off tokens issued in earlier seconds: start on a fresh second
			time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second)))
			first := sameRequestID(t, world.router, change(token, customerPassword, "Second-123"))
			token = profileFreshToken(t, first, token)
			// when the password is changed again with the same request id, then the newest password signs in
			sameRequestID(t, world.router, change(token, "Second-123", "Third-123"))
			email := profileData(t, first)["email"].(string)
			login := world.call(http.MethodPost, "/auth/login"+site, "", fmt.Sprintf(`{"email":%q,"password":"Third-123"}`, email))
			if login.Code != http.StatusOK {
				t.Fatalf("login with the newest password = %d %s", login.Code, login.Body)
			}
		}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a customer of their own
			token, _ := world.register(t, fmt.Sprintf("ann%d@arepeatedrequestid.example.com", i), customerPassword)
			tc.run(t, token)
		})
	}
}

// testARepeatedRequestIDIsNotANewsletterRetry runs in TestIdempotencyKeysOfPublicCallers, on its stack.
func testARepeatedRequestIDIsNotANewsletterRetry(t *testing.T, router http.Handler) {
	sameRequestID(t, router, request(http.MethodPost, APIBasePath+"/newsletter?site_id=1232", "application/json", `{"email":"cy@example.com"}`))
	// given an update made under a request id
	sameRequestID(t, router, request(http.MethodPut, APIBasePath+"/newsletter/cy@example.com?site_id=1232", "application/json", `{"first_name":"Cy"}`))
	// when another update is sent with the same request id, then it is made
	second := sameRequestID(t, router, request(http.MethodPut, APIBasePath+"/newsletter/cy@example.com?site_id=1232", "application/json", `{"first_name":"Di"}`))
	if got := second["data"].(map[string]any)["first_name"]; got != "Di" {
		t.Fatalf("first_name after the second update = %v, want Di", got)
	}
}
