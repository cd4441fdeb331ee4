package transport

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// consoleSignIn posts key to the sign-in form and returns the answer.
func consoleSignIn(router http.Handler, key string) *http.Response {
	form := url.Values{"key": {key}}.Encode()
	return serve(router, request(http.MethodPost, consoleSignInPath, "application/x-www-form-urlencoded", form)).Result()
}

func consoleGet(router http.Handler, target string, cookie *http.Cookie) (int, string, http.Header) {
	req := request(http.MethodGet, target, "", "")
	if cookie != nil {
		req.AddCookie(cookie)
	}
	rec := serve(router, req)
	return rec.Code, rec.Body.String(), rec.Header()
}

func TestConsoleSignInSetsAStrictSessionCookie(t *testing.T) {
	t.Parallel()
	router, _ := adminFixture(t)
	// when a valid key is typed into the form
	res := consoleSignIn(router, " "+keyOfAccount1+"\n")
	// then the browser is sent to the console with a session cookie no script or other site can use
	cookies := res.Cookies()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != ConsolePath || len(cookies) != 1 {
		t.Fatalf("sign-in = %d to %q with %v", res.StatusCode, res.Header.Get("Location"), cookies)
	}
	c := cookies[0]
	if c.Name != consoleCookie || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != ConsolePath ||
		c.Secure || strings.Contains(c.Value, keyOfAccount1) {
		t.Fatalf("cookie %+v: want HttpOnly, SameSite=Strict, not Secure over plain HTTP, no key in it", c)
	}
	status, body, header := consoleGet(router, ConsolePath, c)
	if status != http.StatusOK || !strings.Contains(body, "customers.v1") || !strings.Contains(body, "account 1") {
		t.Fatalf("console home = %d:\n%s", status, body)
	}
	if csp := header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") ||
		header.Get("Cache-Control") != "no-store" {
		t.Fatalf("headers %v", header)
	}

	// and signing out ends the session
	req := request(http.MethodPost, ConsolePath+"/sign-out", "", "")
	req.AddCookie(c)
	if rec := serve(router, req); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != consoleSignInPath {
		t.Fatalf("sign-out = %d %q", rec.Code, rec.Header().Get("Location"))
	}
	if status, _, header := consoleGet(router, ConsolePath, c); status != http.StatusSeeOther ||
		header.Get("Location") != consoleSignInPath {
		t.Fatalf("console after sign-out = %d %q", status, header.Get("Location"))
	}
}

func TestConsoleRefusesBadKeysAndStrangers(t *testing.T) {
	t.Parallel()
	router, _ := adminFixture(t)
	for _, key := range []string{"", "pak_nope", revokedKey} {
		res := consoleSignIn(router, key)
		if res.StatusCode != http.StatusUnauthorized || len(res.Cookies()) != 0 {
			t.Fatalf("sign-in with %q = %d %v", key, res.StatusCode, res.Cookies())
		}
	}
	for _, path := range []string{ConsolePath, ConsolePath + "/customers?q=7", ConsolePath + "/customers/7"} {
		for _, cookie := range []*http.Cookie{nil, {Name: consoleCookie, Value: "forged"}} {
			if status, _, header := consoleGet(router, path, cookie); status != http.StatusSeeOther ||
				header.Get("Location") != consoleSignInPath {
				t.Fatalf("GET %s with %v = %d %q", path, cookie, status, header.Get("Location"))
			}
		}
	}
}

func TestConsoleShowsOnlyItsAccountAndEscapes(t *testing.T) {
	t.Parallel()
	router, reads := adminFixture(t)
	cookie := consoleSignIn(router, keyOfAccount1).Cookies()[0]
	cases := []struct {
		name, target string
		status       int
		want, absent string
	}{
		{"search finds the account's customer", "/customers?q=ann@example.com", http.StatusOK, `href="/admin/customers/7"`, "/admin/customers/20"},
		{"the search text is escaped", "/customers?q=%3Cscript%3E", http.StatusOK, "&lt;script&gt;", "<script>"},
		{"the timeline in plain words, escaped", "/customers/7", http.StatusOK, "Customer 7 registered &lt;b&gt;by password&lt;/b&gt;", "<b>"},
		{"a link to the older page", "/customers/7", http.StatusOK, `href="/admin/customers/7?cursor=page%202"`, ""},
		{"another account's customer", "/customers/20", http.StatusNotFound, "No customer with this id in your account.", "customer-20"},
		{"as of an instant", "/customers/7/as-of?at=1000", http.StatusOK, "then-ann@example.com", ""},
		{"as of before the customer existed", "/customers/7/as-of?at=10", http.StatusOK, "did not exist yet", "then-ann"},
		{"as of a malformed time", "/customers/7/as-of?at=soon", http.StatusBadRequest, "The time must be RFC 3339", ""},
		{"as of for another account", "/customers/20/as-of?at=1000", http.StatusNotFound, "No customer", "then-ann"},
	}
	for _, tc := range cases {
		status, body, _ := consoleGet(router, ConsolePath+tc.target, cookie)
		if status != tc.status || !strings.Contains(body, tc.want) || (tc.absent != "" && strings.Contains(body, tc.absent)) {
			t.Errorf("%s: GET %s = %d, want %d with %q and without %q:\n%s", tc.name, tc.target, status, tc.status,
				tc.want, tc.absent, body)
		}
	}
	for _, id := range reads.asked {
		if id != 7 {
			t.Fatalf("the console read customer %d's history for account 1", id)
		}
	}
	if status, body, _ := consoleGet(router, consoleAssetsPath+"console.css", nil); status != http.StatusOK ||
		!strings.Contains(body, "font") {
		t.Fatalf("stylesheet = %d", status)
	}
}
