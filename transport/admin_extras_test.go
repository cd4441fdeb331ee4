package transport

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/queries"
)

// Given more customers matching a search than a page holds, when the admin API or the console searches,
// then the page says more match; with fewer, it says none do.
func TestAdminSearchSaysWhenMoreCustomersMatch(t *testing.T) {
	t.Parallel()
	router, reads := adminFixture(t)
	for id := int64(100); id < 103; id++ {
		reads.customers[id] = queries.Customer{ID: id, AccountID: 1, Email: "many@example.com"}
	}
	for _, tc := range []struct {
		limit int
		count int
		more  bool
	}{{2, 2, true}, {3, 3, false}, {50, 3, false}} {
		status, body := adminGet(router, fmt.Sprintf("%s/customers?q=many@example.com&limit=%d", AdminAPIPath, tc.limit), keyOfAccount1)
		found, _ := body["customers"].([]any)
		if status != http.StatusOK || len(found) != tc.count || body["has_more"] != tc.more {
			t.Errorf("limit %d: %d, %d customers, has_more %v; want %d, %v", tc.limit, status, len(found), body["has_more"], tc.count, tc.more)
		}
	}
	// and the console, whose page holds defaultAdminLimit, says more match only past that many
	for id := int64(200); id <= 200+defaultAdminLimit; id++ {
		reads.customers[id] = queries.Customer{ID: id, AccountID: 1, Email: "crowd@example.com"}
	}
	cookie := consoleSignIn(router, keyOfAccount1).Cookies()[0]
	for _, tc := range []struct {
		query string
		shown int
		more  bool
	}{{"many@example.com", 3, false}, {"crowd@example.com", defaultAdminLimit, true}} {
		_, body, _ := consoleGet(router, ConsolePath+"/customers?q="+tc.query, cookie)
		shown := strings.Count(body, `class="customer"`)
		if shown != tc.shown || strings.Contains(body, `id="more-matches"`) != tc.more {
			t.Errorf("%s: the console shows %d customers, says more match: %v; want %d, %v\n%s", tc.query, shown,
				strings.Contains(body, `id="more-matches"`), tc.shown, tc.more, body)
		}
	}
}

// Given the events endpoint, when reveal is anything but true or false, then it answers 400 saying so.
func TestAdminEventsRevealIsTrueOrFalse(t *testing.T) {
	t.Parallel()
	for value, want := range map[string]int{"true": 200, "false": 200, "": 200, "yes": 400, "1": 400, "TRUE": 400} {
		router, _ := adminFixture(t)
		status, body := adminGet(router, AdminAPIPath+"/customers/7/events?reveal="+value, keyOfAccount1)
		detail, _ := body["error"].(map[string]any)
		if status != want || (want == 400 && detail["message"] != "reveal must be true or false.") {
			t.Errorf("reveal=%s: %d %v, want %d", value, status, body, want)
		}
	}
}

// Given a page of another origin, when it calls the admin API or the console, preflight or not, then no
// answer carries CORS headers, while the Open API still does.
func TestAdminRoutesAllowNoCrossOriginAccess(t *testing.T) {
	t.Parallel()
	router, _ := adminFixture(t)
	for _, path := range []string{AdminAPIPath + "/projections", ConsolePath, consoleSignInPath, ConsolePath + "/customers"} {
		for _, method := range []string{http.MethodGet, http.MethodOptions} {
			req := request(method, path, "", "")
			req.Header.Set("Origin", "https://evil.example")
			req.Header.Set("Access-Control-Request-Method", http.MethodGet)
			req.Header.Set("Authorization", "Bearer "+keyOfAccount1)
			rec := serve(router, req)
			if got := rec.Header().Get("Access-Control-Allow-Origin"); got != "" {
				t.Errorf("%s %s: Access-Control-Allow-Origin %q", method, path, got)
			}
		}
	}
	req := request(http.MethodGet, APIBasePath+"/openapi.json", "", "")
	req.Header.Set("Origin", "https://front.example")
	if got := serve(router, req).Header().Get("Access-Control-Allow-Origin"); got == "" {
		t.Error("the Open API lost its CORS headers")
	}
}
