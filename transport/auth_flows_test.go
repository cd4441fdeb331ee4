package transport

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
)

func TestPasswordlessLoginFlow(t *testing.T) {
	t.Parallel()
	_, world := customerStack(t)
	_, id := world.register(t, customerTestEmail, customerPassword)
	site := fmt.Sprintf("?site_id=%d", customerSite)
	// when a link is asked for a known email, then it is confirmed and a token is issued
	rec := world.call(http.MethodPost, "/auth/passwordless/request"+site, "", `{"email":"ann@example.com"}`)
	if rec.Code != http.StatusOK || decodeBody[dataBody](t, rec).Data.(map[string]any)["message"] != "We have emailed you a login link." {
		t.Fatalf("request = %d %s", rec.Code, rec.Body)
	}
	token := world.mailedToken(t, id, customer.PurposePasswordless)
	// when the token is used, then the customer is signed in with a JWT, and again (reusable)
	for range 2 {
		rec = world.call(http.MethodPost, "/auth/passwordless/login"+site, "", fmt.Sprintf(`{"token":%q}`, token))
		body := decodeBody[map[string]any](t, rec)
		if rec.Code != http.StatusOK || body["data"].(map[string]any)["last_login_method"] != "passwordless" {
			t.Fatalf("passwordless login = %d %s", rec.Code, rec.Body)
		}
	}
	// when it is forged, an unknown email asks, or the site has passwordless off, then each is refused
	assertError(t, world.call(http.MethodPost, "/auth/passwordless/login"+site, "", `{"token":"1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}`),
		http.StatusNotFound, "This login link is invalid or has expired.")
	assertError(t, world.call(http.MethodPost, "/auth/passwordless/request"+site, "", `{"email":"bob@example.com"}`),
		http.StatusNotFound, "We could not find a customer with that email address.")
	assertError(t, world.call(http.MethodPost, fmt.Sprintf("/auth/passwordless/request?site_id=%d&language=en", riskAssessedSite), "",
		`{"email":"ann@example.com"}`), http.StatusBadRequest, "Passwordless login is not enabled for this site.")
	// when more than 5 links are asked within the hour, then the sixth is throttled
	for range 4 {
		world.call(http.MethodPost, "/auth/passwordless/request"+site, "", `{"email":"ann@example.com"}`)
	}
	throttled := world.call(http.MethodPost, "/auth/passwordless/request"+site, "", `{"email":"ann@example.com"}`)
	assertError(t, throttled, http.StatusTooManyRequests, "Too many requests. Please try again later.")
	// and the answer says when the first of the five is an hour old (they were all sent just now)
	assertRetryAfter(t, throttled, 50*time.Minute, time.Hour)
}

func TestPasswordResetFlowAnswers404ForEveryFailure(t *testing.T) {
	t.Parallel()
	_, world := customerStack(t)
	_, id := world.register(t, customerTestEmail, customerPassword)
	site := fmt.Sprintf("?site_id=%d", customerSite)
	// when an unknown email forgets its password, then the answer reveals nothing
	assertError(t, world.call(http.MethodPost, "/password/forgot"+site, "", `{"email":"bob@example.com"}`),
		http.StatusNotFound, "Invalid credentials! Please try again.")
	// when the customer asks for a link, then a token is issued
	if rec := world.call(http.MethodPost, "/password/forgot"+site, "", `{"email":"ann@example.com"}`); rec.Code != http.StatusOK {
		t.Fatalf("forgot = %d %s", rec.Code, rec.Body)
	}
	token := world.mailedToken(t, id, customer.PurposePasswordReset)
	reset := func(email, password, confirmation string) *http.Request {
		return world.request(http.MethodPost, "/password/reset"+site, "", fmt.Sprintf(
			`{"email":%q,"token":%q,"password":%q,"password_confirmation":%q}`, email, token, password, confirmation))
	}
	// when the confirmation differs, then it is a 404 in the validation shape
	rec := serve(world.router, reset("ann@example.com", "Brand-new-1", "Brand-new-2"))
	if rec.Code != http.StatusNotFound || len(decodeBody[validationBody](t, rec).Errors["password_confirmation"]) != 1 {
		t.Fatalf("mismatched confirmation = %d %s", rec.Code, rec.Body)
	}
	// when the token is used for another email, then it is refused
	assertError(t, serve(world.router, reset("bob@example.com", "Brand-new-1", "Brand-new-1")), http.StatusNotFound,
		"This token has either expired or has already been used, please try again.")
	// when it is used properly, then the new password signs in; a second use is refused
	if rec := serve(world.router, reset("ann@example.com", "Brand-new-1", "Brand-new-1")); rec.Code != http.StatusOK {
		t.Fatalf("reset = %d %s", rec.Code, rec.Body)
	}
	if rec := world.call(http.MethodPost, "/auth/login"+site, "", `{"email":"ann@example.com","password":"Brand-new-1"}`); rec.Code != http.StatusOK {
		t.Fatalf("login after reset = %d %s", rec.Code, rec.Body)
	}
	assertError(t, serve(world.router, reset("ann@example.com", "Brand-new-3", "Brand-new-3")), http.StatusNotFound,
		"This token has either expired or has already been used, please try again.")
}

func TestPasswordUpdate(t *testing.T) {
	t.Parallel()
	_, world := customerStack(t)
	token, _ := world.register(t, customerTestEmail, customerPassword)
	site := fmt.Sprintf("?site_id=%d", customerSite)
	update := func(old, new, confirm string) *http.Request {
		return world.request(http.MethodPost, "/password/update"+site, token, fmt.Sprintf(
			`{"old_password":%q,"new_password":%q,"confirm_new_password":%q}`, old, new, confirm))
	}
	cases := []struct {
		name, old, new, confirm, field string
	}{
		{name: "wrong old password", old: "nope", new: "Other-123", confirm: "Other-123", field: "old_password"},
		{name: "same password", old: customerPassword, new: customerPassword, confirm: customerPassword, field: "new_password"},
		{name: "confirmation differs", old: customerPassword, new: "Other-123", confirm: "Other-124", field: "confirm_new_password"},
		{name: "too short", old: customerPassword, new: "abc", confirm: "abc", field: "new_password"},
	}
	for _, tc := range cases {
		// when the update breaks a rule, then the field says which
		rec := serve(world.router, update(tc.old, tc.new, tc.confirm))
		if rec.Code != http.StatusBadRequest || len(decodeBody[validationBody](t, rec).Errors[tc.field]) == 0 {
			t.Fatalf("%s = %d %s", tc.name, rec.Code, rec.Body)
		}
	}
	// given another session of the customer, signed in a second before
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second)))
	other := decodeBody[map[string]any](t, world.call(http.MethodPost, "/auth/login"+site, "",
		fmt.Sprintf(`{"email":%q,"password":%q}`, customerTestEmail, customerPassword)))["data"].(map[string]any)["auth_token"].(string)
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second)))
	// and one signed in the very second of the update, a moment before it (token times used to be whole
	// seconds, and such a token outlived the update)
	sameSecond := decodeBody[map[string]any](t, world.call(http.MethodPost, "/auth/login"+site, "",
		fmt.Sprintf(`{"email":%q,"password":%q}`, customerTestEmail, customerPassword)))["data"].(map[string]any)["auth_token"].(string)
	// when it is right, then a fresh token comes back and the new password signs in
	rec := serve(world.router, update(customerPassword, "Other-123", "Other-123"))
	fresh, _ := decodeBody[map[string]any](t, rec)["data"].(map[string]any)["auth_token"].(string)
	if rec.Code != http.StatusOK || fresh == token {
		t.Fatalf("update = %d %s", rec.Code, rec.Body)
	}
	// and every earlier session is signed out, while the fresh token works
	for _, old := range []string{token, other, sameSecond} {
		assertError(t, world.call(http.MethodPost, "/customer"+site, old, ""), http.StatusForbidden,
			"Authentication token has been blacklisted, please try again")
	}
	if rec := world.call(http.MethodPost, "/customer"+site, fresh, ""); rec.Code != http.StatusOK {
		t.Fatalf("fresh token after the update = %d %s", rec.Code, rec.Body)
	}
	if rec := world.call(http.MethodPost, "/auth/login"+site, "", `{"email":"ann@example.com","password":"Other-123"}`); rec.Code != http.StatusOK {
		t.Fatalf("login with the new password = %d", rec.Code)
	}
}

func TestIdentityProviderLogin(t *testing.T) {
	t.Parallel()
	_, world := customerStack(t)
	_, ann := world.register(t, customerTestEmail, customerPassword)
	site := fmt.Sprintf("?site_id=%d", customerSite)
	login := func(site, provider, token string) *http.Request {
		return world.request(http.MethodPost, "/auth/idp/login"+site, "", fmt.Sprintf(`{"idp_name":%q,"idp_token":%q}`, provider, token))
	}
	// when a new Google user signs in, then a customer is registered with the provider's names
	rec := serve(world.router, login(site, "google", world.googleToken(t, "g-1", "gee@example.com", true)))
	data := decodeBody[map[string]any](t, rec)["data"].(map[string]any)
	if rec.Code != http.StatusOK || data["first_name"] != "Gee" || data["has_password"] != false || data["last_login_method"] != "idp:google" {
		t.Fatalf("new identity = %d %s", rec.Code, rec.Body)
	}
	// when Google vouches for an existing customer's email, then that customer is signed in
	rec = serve(world.router, login(site, "google", world.googleToken(t, "g-2", "ann@example.com", true)))
	if rec.Code != http.StatusOK || decodeBody[map[string]any](t, rec)["data"].(map[string]any)["id"] != float64(ann) {
		t.Fatalf("existing email = %d %s", rec.Code, rec.Body)
	}
	// when it does not vouch for an email a customer has, then the email is taken
	rec = serve(world.router, login(site, "google", world.googleToken(t, "g-3", "ANN@example.com", false)))
	if rec.Code != http.StatusBadRequest || len(decodeBody[validationBody](t, rec).Errors["email"]) != 1 {
		t.Fatalf("unverified existing email = %d %s", rec.Code, rec.Body)
	}
	// when the token is forged, the provider unknown, or the site has no id for it, then each is refused
	forged := world.googleToken(t, "g-1", "gee@example.com", true)
	forged = forged[:len(forged)-4] + "AAAA"
	assertError(t, serve(world.router, login(site, "google", forged)), http.StatusUnauthorized, "The identity provider token is invalid.")
	if rec := serve(world.router, login(site, "myspace", "x")); rec.Code != http.StatusBadRequest {
		t.Fatalf("unknown provider = %d %s", rec.Code, rec.Body)
	}
	assertError(t, serve(world.router, login(fmt.Sprintf("?site_id=%d&language=en", riskAssessedSite), "google",
		world.googleToken(t, "g-1", "gee@example.com", true))), http.StatusBadRequest, "This sign-in method is not enabled for this site.")
}

func TestAnIdentityProviderCannotKeepAnAccountItDidNotVouchFor(t *testing.T) {
	t.Parallel()
	_, world := customerStack(t)
	site := fmt.Sprintf("?site_id=%d", customerSite)
	login := func(token string) *httptest.ResponseRecorder {
		return world.call(http.MethodPost, "/auth/idp/login"+site, "", fmt.Sprintf(`{"idp_name":"google","idp_token":%q}`, token))
	}
	// given someone who signed up at Google with the victim's email, which Google did not verify
	rec := login(world.googleToken(t, "attacker", "victim@example.com", false))
	if rec.Code != http.StatusOK {
		t.Fatalf("attacker sign-up = %d %s", rec.Code, rec.Body)
	}
	data := decodeBody[map[string]any](t, rec)["data"].(map[string]any)
	id, session := int64(data["id"].(float64)), data["auth_token"].(string)
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second)))
	// when the email's owner takes the account with a reset link
	if rec := world.call(http.MethodPost, "/password/forgot"+site, "", `{"email":"victim@example.com"}`); rec.Code != http.StatusOK {
		t.Fatalf("forgot = %d %s", rec.Code, rec.Body)
	}
	reset := fmt.Sprintf(`{"email":"victim@example.com","token":%q,"password":"Mine-123!","password_confirmation":"Mine-123!"}`,
		world.mailedToken(t, id, customer.PurposePasswordReset))
	if rec := world.call(http.MethodPost, "/password/reset"+site, "", reset); rec.Code != http.StatusOK {
		t.Fatalf("reset = %d %s", rec.Code, rec.Body)
	}
	// then the Google account that typed the email no longer gets in, and its session is over
	if rec := login(world.googleToken(t, "attacker", "victim@example.com", false)); rec.Code != http.StatusBadRequest {
		t.Fatalf("attacker after the reset = %d %s", rec.Code, rec.Body)
	}
	if rec := world.call(http.MethodPost, "/customer"+site, session, ""); rec.Code != http.StatusForbidden {
		t.Fatalf("attacker's session after the reset = %d %s", rec.Code, rec.Body)
	}
}
