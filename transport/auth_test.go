package transport

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRegisterLoginLogout(t *testing.T) {
	t.Parallel()
	_, world := customerStack(t)
	checker := documentChecker(t)
	call := func(method, target, token, body string, status int) map[string]any {
		t.Helper()
		req := world.request(method, target, token, body)
		rec := serve(world.router, req)
		checker.CheckResponse(t, req, rec)
		if rec.Code != status {
			t.Fatalf("%s %s = %d %s, want %d", method, target, rec.Code, rec.Body, status)
		}
		return decodeBody[map[string]any](t, rec)
	}
	site := fmt.Sprintf("?site_id=%d", customerSite)
	// given a registered customer
	token, id := world.register(t, customerTestEmail, customerPassword)
	// when they sign in by email, then they get a fresh token for the same customer
	login := call(http.MethodPost, "/auth/login"+site, "", fmt.Sprintf(`{"email":"ANN@example.com","password":%q}`, customerPassword), 200)
	data := login["data"].(map[string]any)
	if data["id"] != float64(id) || data["auth_token"] == token || data["auth_token"] != data["token"] {
		t.Fatalf("login answer = %v", data)
	}
	// and the answer shows the sign-in it recorded (in the customer's sign-in stream)
	if data["last_login_method"] != "password" || data["last_login_at"] == nil {
		t.Fatalf("last login of the login answer = %v at %v", data["last_login_method"], data["last_login_at"])
	}
	// and the token reads the customer back
	if got := call(http.MethodPost, "/customer"+site, token, "", 200)["data"].(map[string]any); got["email"] != customerTestEmail || got["auth_token"] != token {
		t.Fatalf("customer = %v", got)
	}
	// when they log out, then the customer comes back without a token and the token is refused with 403
	out := call(http.MethodPost, "/auth/logout"+site, token, "", 200)["data"].(map[string]any)
	if _, has := out["auth_token"]; has {
		t.Fatalf("logout answer carries a token: %v", out)
	}
	refused := world.call(http.MethodPost, "/customer"+site, token, "")
	assertError(t, refused, http.StatusForbidden, "Authentication token has been blacklisted, please try again")
	// and the token of this account is refused on a site of another account
	fresh := data["auth_token"].(string)
	assertError(t, world.call(http.MethodPost, fmt.Sprintf("/customer?site_id=%d", otherAccountSite), fresh, ""),
		http.StatusUnauthorized, "Invalid or expired token")
}

func TestLoginFailuresAreIndistinguishableAndLockOut(t *testing.T) {
	t.Parallel()
	_, world := customerStack(t)
	world.register(t, customerTestEmail, customerPassword)
	world.call(http.MethodPost, fmt.Sprintf("/auth/register?site_id=%d", customerSite), "",
		fmt.Sprintf(`{"email":"bob@example.com","username":"bobby","password":%q}`, customerPassword))
	site := fmt.Sprintf("/auth/login?site_id=%d", customerSite)
	// when a wrong password, an unknown email and an unknown username are tried
	bodies := map[string][]byte{}
	for name, body := range map[string]string{
		"wrong password":   `{"email":"ann@example.com","password":"Wrong-123!"}`,
		"unknown email":    `{"email":"nobody@example.com","password":"Wrong-123!"}`,
		"unknown username": `{"username":"nobody","password":"Wrong-123!"}`,
		"wrong for user":   `{"username":"bobby","password":"Wrong-123!"}`,
	} {
		rec := world.call(http.MethodPost, site, "", body)
		if rec.Code != http.StatusNotFound {
			t.Fatalf("%s = %d %s", name, rec.Code, rec.Body)
		}
		bodies[name] = rec.Body.Bytes()
	}
	// then the answers are byte for byte the same
	for name, body := range bodies {
		if !bytes.Equal(body, bodies["wrong password"]) {
			t.Fatalf("%s answered %s, wrong password answered %s", name, body, bodies["wrong password"])
		}
	}
	// when bob's account fails 10 times in total, by username and by email alike (one failure so far), then
	// the next attempt is locked by either, even with the right password
	for i := range 9 {
		login := `{"email":"bob@example.com","password":"Wrong-123!"}`
		if i%2 == 0 {
			login = `{"username":"BOBBY","password":"Wrong-123!"}`
		}
		world.call(http.MethodPost, site, "", login)
	}
	for _, login := range []string{`{"email":"bob@example.com","password":%q}`, `{"username":"bobby","password":%q}`} {
		locked := world.call(http.MethodPost, site, "", fmt.Sprintf(login, customerPassword))
		assertError(t, locked, http.StatusTooManyRequests, "Too many login attempts")
		// and says when the first failure leaves the 5-minute window (they were all made just now)
		assertRetryAfter(t, locked, 4*time.Minute, 5*time.Minute)
	}
	// and an unknown email locks after as many failures (one so far), with the same bytes
	for range 9 {
		world.call(http.MethodPost, site, "", `{"email":"nobody@example.com","password":"Wrong-123!"}`)
	}
	lockedUnknown := world.call(http.MethodPost, site, "", `{"email":"nobody@example.com","password":"Wrong-123!"}`)
	lockedKnown := world.call(http.MethodPost, site, "", `{"email":"bob@example.com","password":"Wrong-123!"}`)
	if lockedUnknown.Code != http.StatusTooManyRequests || !bytes.Equal(lockedUnknown.Body.Bytes(), lockedKnown.Body.Bytes()) {
		t.Fatalf("locked unknown email = %d %s, locked account = %d %s", lockedUnknown.Code, lockedUnknown.Body,
			lockedKnown.Code, lockedKnown.Body)
	}
	assertRetryAfter(t, lockedUnknown, 4*time.Minute, 5*time.Minute)
	// and another customer (one failure so far) is not affected
	if rec := world.call(http.MethodPost, site, "", fmt.Sprintf(`{"email":"ann@example.com","password":%q}`, customerPassword)); rec.Code != 200 {
		t.Fatalf("other customer = %d %s", rec.Code, rec.Body)
	}
}

func TestRegistrationValidation(t *testing.T) {
	t.Parallel()
	_, world := customerStack(t)
	world.register(t, customerTestEmail, customerPassword)
	cases := []struct {
		name, site, body, lang string
		want                   map[string]string // field → first message
	}{
		{name: "missing fields", body: `{}`, want: map[string]string{"email": "The email field is required.", "password": "The password field is required."}},
		{name: "taken email", body: `{"email":"ANN@example.com","password":"Secret-123!"}`,
			want: map[string]string{"email": "The email has already been taken."}},
		{name: "bad username and email", body: `{"email":"ann@","password":"Secret-123!","username":"a b"}`,
			want: map[string]string{"email": "The email must be a valid email address.", "username": "The username may only contain letters, numbers, dashes and underscores."}},
		{name: "short password in French", lang: "fr", body: `{"email":"cy@example.com","password":"abc"}`,
			want: map[string]string{"password": "Le champ mot de passe doit contenir au moins 6 caractères."}},
		{name: "weak password where strong ones are enforced", site: fmt.Sprint(otherAccountSite), body: `{"email":"cy@example.com","password":"secretsecret"}`,
			want: map[string]string{"password": "The password must contain at least one number."}},
		{name: "wrong types", body: `{"email":"cy@example.com","password":"Secret-123!","metadata":[1],"email_hardbounce":"maybe","first_name":{"a":1}}`,
			want: map[string]string{"metadata": "The metadata must be an object.", "email_hardbounce": "The email hardbounce field must be true or false.", "first_name": "The first name must be a string."}},
		{name: "risk assessment needs a security token", site: fmt.Sprint(riskAssessedSite), lang: "en", body: `{"email":"cy@example.com","password":"Secret-123!"}`,
			want: map[string]string{"security_token": "The security token field is required."}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			site := tc.site
			if site == "" {
				site = fmt.Sprint(customerSite)
			}
			target := "/auth/register?site_id=" + site
			if tc.lang != "" {
				target += "&language=" + tc.lang
			}
			// when the registration is sent, then every broken rule is named per field
			rec := world.call(http.MethodPost, target, "", tc.body)
			body := decodeBody[validationBody](t, rec)
			if rec.Code != http.StatusBadRequest || len(body.Errors) != len(tc.want) {
				t.Fatalf("answer = %d %s", rec.Code, rec.Body)
			}
			for field, message := range tc.want {
				if len(body.Errors[field]) == 0 || !strings.HasPrefix(body.Errors[field][0], message) {
					t.Errorf("%s = %v, want %q", field, body.Errors[field], message)
				}
			}
		})
	}
}
