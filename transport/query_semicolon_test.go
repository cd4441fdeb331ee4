package transport

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// semicolonMessage is what the public API, the admin API and the console answer a raw ";" in a query string
// with.
const semicolonMessage = "The query string may not contain a raw semicolon: write it as %3B, and separate parameters with &."

// Given a key of account 1, when an admin API or console query string holds a raw ";" (which Go's URL
// parser refuses, as it cannot tell a separator from a character), then the 400 says so rather than
// calling the query string something it is not, and nothing was read.
func TestAdminQueryStringsWithASemicolonSayWhatIsWrong(t *testing.T) {
	t.Parallel()
	for _, target := range []string{"/customers?q=ann;bob", "/customers/7/timeline?limit=5;cursor=x", "/projections?;"} {
		t.Run("api "+target, func(t *testing.T) {
			t.Parallel()
			router, reads := adminFixture(t)
			status, body := adminGet(router, AdminAPIPath+target, keyOfAccount1)
			detail, _ := body["error"].(map[string]any)
			if message, _ := detail["message"].(string); status != http.StatusBadRequest || message != semicolonMessage {
				t.Fatalf("status %d, body %v; want 400 %q", status, body, semicolonMessage)
			}
			if len(reads.asked) != 0 {
				t.Fatalf("read the history of %v", reads.asked)
			}
		})
	}
	t.Run("console", func(t *testing.T) {
		t.Parallel()
		router, _ := adminFixture(t)
		cookie := consoleSignIn(router, keyOfAccount1).Cookies()[0]
		status, body, _ := consoleGet(router, ConsolePath+"/customers?q=ann;bob", cookie)
		if status != http.StatusBadRequest || !strings.Contains(body, "may not contain a raw semicolon") {
			t.Fatalf("status %d, want 400 naming the semicolon:\n%s", status, body)
		}
	})
}

// Given a site, when a public API query string holds a raw ";", then the 400 names the semicolon, in the
// caller's language like every other input error, and the handler never ran.
func TestPublicQueryStringsWithASemicolonSayWhatIsWrong(t *testing.T) {
	t.Parallel()
	router := newTestRouter(t, Dependencies{Sites: testSites})
	cases := []struct {
		target string
		want   string
	}{
		{fmt.Sprintf("%s?site_id=%d;language=fr", probePath, englishSite), semicolonMessage},
		{fmt.Sprintf("%s?site_id=%d&q=a;b&language=de", probePath, englishSite),
			i18n.Localize(i18n.German, i18n.QuerySemicolon)},
	}
	for _, tc := range cases {
		t.Run(tc.target, func(t *testing.T) {
			t.Parallel()
			assertError(t, serve(router, request("GET", tc.target, "", "")), http.StatusBadRequest, tc.want)
		})
	}
}
