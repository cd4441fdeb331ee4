package transport

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Given the console, when its forms are posted with the headers a browser sends, then a post from another
// site is refused with a 403 page and changes nothing, and one from the console's own page goes through.
func TestConsoleFormsRefuseCrossSitePosts(t *testing.T) {
	t.Parallel()
	senders := []struct {
		name    string
		headers map[string]string
		allowed bool
	}{
		{"another site", map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, false},
		{"another site, Origin only", map[string]string{"Origin": "https://evil.example"}, false},
		{"another site, Sec-Fetch-Site only", map[string]string{"Sec-Fetch-Site": "cross-site"}, false},
		{"a sibling subdomain", map[string]string{"Origin": "https://console.example.com", "Sec-Fetch-Site": "same-site"}, false},
		{"an opaque origin", map[string]string{"Origin": "null"}, false},
		{"the console's own page", map[string]string{"Origin": "http://example.com", "Sec-Fetch-Site": "same-origin"}, true},
		{"no browser", map[string]string{}, true},
	}
	for _, sender := range senders {
		t.Run(sender.name, func(t *testing.T) {
			t.Parallel()
			router, _ := adminFixture(t)
			session := consoleSignIn(router, keyOfAccount1).Cookies()[0]
			// when the sender posts the attacker's key to the sign-in form
			form := url.Values{"key": {keyOfAccount2}}.Encode()
			req := request(http.MethodPost, consoleSignInPath, "application/x-www-form-urlencoded", form)
			for k, v := range sender.headers {
				req.Header.Set(k, v)
			}
			rec := serve(router, req)
			signedIn := rec.Code == http.StatusSeeOther && len(rec.Result().Cookies()) == 1
			if signedIn != sender.allowed {
				t.Fatalf("sign-in = %d, cookies %v; want allowed %v", rec.Code, rec.Result().Cookies(), sender.allowed)
			}
			if !sender.allowed && (rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "sent from another site")) {
				t.Fatalf("sign-in = %d:\n%s", rec.Code, rec.Body.String())
			}
			// and when it posts the sign-out form with the operator's session
			req = request(http.MethodPost, ConsolePath+"/sign-out", "", "")
			req.AddCookie(session)
			for k, v := range sender.headers {
				req.Header.Set(k, v)
			}
			if rec := serve(router, req); (rec.Code == http.StatusSeeOther) != sender.allowed {
				t.Fatalf("sign-out = %d, want allowed %v", rec.Code, sender.allowed)
			}
			status, _, _ := consoleGet(router, ConsolePath, session)
			if (status == http.StatusOK) == sender.allowed {
				t.Fatalf("the operator's session after a sign-out from %s: %d", sender.name, status)
			}
		})
	}
}
