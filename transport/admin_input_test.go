package transport

import (
	"net/http"
	"strings"
	"testing"
)

// Given a key of account 1, when a query string of the admin API is not text (a NUL, invalid UTF-8, a
// malformed escape), then it answers 400 in the error shape, saying why, and nothing was searched or read.
func TestAdminAPIRefusesQueryStringsThatAreNotText(t *testing.T) {
	t.Parallel()
	targets := []string{
		"/customers?q=ann%00", "/customers?q=%FF", "/customers?q=%zz", "/customers?q%00=ann",
		"/customers/7/timeline?cursor=%00", "/customers/7/events?cursor=%FF", "/customers/7/events?reveal=true%00",
		"/customers/7/as-of?at=%00", "/customers/7/as-of?position=1%2F1%00", "/customers/7?x=%C0%80", "/projections?x=%00",
	}
	for _, target := range targets {
		t.Run(target, func(t *testing.T) {
			t.Parallel()
			router, reads := adminFixture(t)
			status, body := adminGet(router, AdminAPIPath+target, keyOfAccount1)
			detail, _ := body["error"].(map[string]any)
			message, _ := detail["message"].(string)
			if status != http.StatusBadRequest || message != "The query string must be UTF-8 text without NUL characters." {
				t.Fatalf("status %d, body %v", status, body)
			}
			if len(reads.asked) != 0 {
				t.Fatalf("read the history of %v", reads.asked)
			}
		})
	}
}

// Given a signed-in console, when a page's query string is not text or its cursor or instant is bad, then
// the console answers its error page with 400, saying only what is wrong, and never echoes the bytes.
func TestConsoleRefusesBadQueryStringsWithA400Page(t *testing.T) {
	t.Parallel()
	router, _ := adminFixture(t)
	cookie := consoleSignIn(router, keyOfAccount1).Cookies()[0]
	cases := []struct {
		target, want string
	}{
		{"/customers?q=%00", "The query string must be UTF-8 text without NUL characters."},
		{"/customers?q=ann%FF", "The query string must be UTF-8 text without NUL characters."},
		{"/customers/7?cursor=%00", "The query string must be UTF-8 text without NUL characters."},
		{"/customers/7?cursor=abc", "The cursor is not one this endpoint gave"},
		{"/customers/7/as-of?at=abc", "The time must be RFC 3339"},
	}
	for _, tc := range cases {
		t.Run(tc.target, func(t *testing.T) {
			t.Parallel()
			status, body, _ := consoleGet(router, ConsolePath+tc.target, cookie)
			if status != http.StatusBadRequest || !strings.Contains(body, tc.want) {
				t.Fatalf("GET %s = %d, want 400 with %q:\n%s", tc.target, status, tc.want, body)
			}
			for _, absent := range []string{"\x00", "\xff", "Nothing happened", "Something failed"} {
				if strings.Contains(body, absent) {
					t.Fatalf("GET %s shows %q:\n%s", tc.target, absent, body)
				}
			}
		})
	}
}
