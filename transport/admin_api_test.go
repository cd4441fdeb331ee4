package transport

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/apikeys"
	"github.com/pelcro-oss/pelcro-api/queries"
)

const (
	keyOfAccount1 = "pak-test-account-1"
	keyOfAccount2 = "pak-test-account-2"
	revokedKey    = "pak-test-revoked"
)

// adminFixture is a router whose keys read accounts 1 and 2, with customer 7 in account 1 and customer 20
// in account 2, both with the email ann@example.com.
func adminFixture(t *testing.T) (http.Handler, *fakeAdminReads) {
	t.Helper()
	revokedAt := time.Unix(1, 0)
	keys := &fakeAdminKeys{sessions: map[string]apikeys.Key{}, keys: map[string]apikeys.Key{
		keyOfAccount1: {ID: "pak_1", AccountID: 1},
		keyOfAccount2: {ID: "pak_2", AccountID: 2},
		revokedKey:    {ID: "pak_3", AccountID: 1, RevokedAt: &revokedAt},
	}}
	reads := &fakeAdminReads{customers: map[int64]queries.Customer{
		7:  {ID: 7, AccountID: 1, SiteID: 1232, Email: "ann@example.com", CreatedAt: 1000},
		20: {ID: 20, AccountID: 2, SiteID: 1300, Email: "ann@example.com", CreatedAt: 1000},
	}}
	deps := wiredDependencies()
	deps.AdminKeys, deps.AdminReads = keys, reads
	return newTestRouter(t, deps), reads
}

func adminGet(router http.Handler, target, key string) (int, map[string]any) {
	req := request(http.MethodGet, target, "", "")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	rec := serve(router, req)
	var body map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &body)
	return rec.Code, body
}

func TestAdminAPIKeepsEveryKeyInItsAccount(t *testing.T) {
	t.Parallel()
	customerPaths := []string{"", "/timeline", "/events", "/as-of?at=2026-03-01T09:00:00Z"}
	callers := []struct {
		name     string
		key      string
		customer string
		status   int
		message  string
	}{
		{"no key", "", "7", http.StatusUnauthorized, "An API key is required"},
		{"an unknown key", "pak_nope", "7", http.StatusUnauthorized, "Invalid or revoked API key."},
		{"a revoked key of the account", revokedKey, "7", http.StatusUnauthorized, "Invalid or revoked API key."},
		{"the account's key", keyOfAccount1, "7", http.StatusOK, ""},
		{"another account's key", keyOfAccount2, "7", http.StatusNotFound, "No customer with this id in your account."},
		{"account 2's key on its customer", keyOfAccount2, "20", http.StatusOK, ""},
		{"account 1's key on account 2's customer", keyOfAccount1, "20", http.StatusNotFound, "No customer with this id in your account."},
		{"a customer nobody has", keyOfAccount1, "99", http.StatusNotFound, "No customer with this id in your account."},
		{"an id that is not one", keyOfAccount1, "7x", http.StatusNotFound, "No customer with this id in your account."},
	}
	for _, caller := range callers {
		for _, path := range customerPaths {
			t.Run(caller.name+" "+path, func(t *testing.T) {
				t.Parallel()
				router, reads := adminFixture(t)
				// when the caller reads the customer's resource or history
				status, body := adminGet(router, AdminAPIPath+"/customers/"+caller.customer+path, caller.key)
				// then only the account's own customer answers, and nothing else was read
				if status != caller.status {
					t.Fatalf("status %d, want %d: %v", status, caller.status, body)
				}
				if caller.message != "" {
					if msg, _ := body["error"].(map[string]any)["message"].(string); !strings.HasPrefix(msg, caller.message) {
						t.Fatalf("message %q, want %q", msg, caller.message)
					}
				}
				if caller.status != http.StatusOK && len(reads.asked) > 0 {
					t.Fatalf("histories read for a refused caller: %v", reads.asked)
				}
				got := mustJSON(t, body)
				if caller.status == http.StatusOK && !strings.Contains(got, `"id":`+caller.customer+`,`) &&
					!strings.Contains(got, `"customer-`+caller.customer+`"`) {
					t.Fatalf("body is not customer %s's: %s", caller.customer, got)
				}
			})
		}
	}
}

func TestAdminAPISearchAndProjections(t *testing.T) {
	t.Parallel()
	router, _ := adminFixture(t)
	// when account 1's key searches an email both accounts have, then only account 1's customer comes back
	status, body := adminGet(router, AdminAPIPath+"/customers?q=ann@example.com", keyOfAccount1)
	if got := mustJSON(t, body["customers"]); status != http.StatusOK || !strings.Contains(got, `"id":7`) || strings.Contains(got, `"id":20`) {
		t.Fatalf("search = %d %s", status, got)
	}
	status, body = adminGet(router, AdminAPIPath+"/customers?q=20", keyOfAccount1)
	if got := mustJSON(t, body["customers"]); status != http.StatusOK || got != "[]" {
		t.Fatalf("search of account 2's id = %d %s", status, got)
	}
	if status, _ := adminGet(router, AdminAPIPath+"/customers?q=ann@example.com", ""); status != http.StatusUnauthorized {
		t.Fatalf("search without a key = %d", status)
	}
	status, body = adminGet(router, AdminAPIPath+"/projections", keyOfAccount2)
	if got := mustJSON(t, body); status != http.StatusOK || !strings.Contains(got, `"state":"caught-up"`) {
		t.Fatalf("projections = %d %s", status, got)
	}
}

func TestAdminAPIParameters(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, target string
		status       int
		want         string
	}{
		{"as-of without a time", "/customers/7/as-of", http.StatusBadRequest, "The time must be RFC 3339"},
		{"as-of in another format", "/customers/7/as-of?at=yesterday", http.StatusBadRequest, "The time must be RFC 3339"},
		{"as-of before the customer existed", "/customers/7/as-of?at=999", http.StatusNotFound, "No customer"},
		{"as-of in Unix seconds", "/customers/7/as-of?at=1000", http.StatusOK, `"email":"then-ann@example.com"`},
		{"as-of in RFC 3339", "/customers/7/as-of?at=1970-01-01T00:16:40Z", http.StatusOK, `"as_of":1000`},
		{"as-of a position", "/customers/7/as-of?position=12/12", http.StatusOK, `"position":"12/12"`},
		{"as-of a malformed position", "/customers/7/as-of?position=12", http.StatusBadRequest, "The position must be COMMIT/PREPARE"},
		{"a limit of 0", "/customers/7/timeline?limit=0", http.StatusBadRequest, "The limit must be"},
		{"a limit too large", "/customers/7/events?limit=501", http.StatusBadRequest, "The limit must be"},
		{"since in RFC 3339", "/customers/7/timeline?since=2026-03-01T09:00:00Z", http.StatusOK, `"time":1772355600`},
		{"a bad since", "/customers/7/timeline?since=03/01/2026", http.StatusBadRequest, "The time must be"},
		{"revealed events", "/customers/7/events?reveal=true", http.StatusOK, `"revealed":true`},
		{"events hidden by default", "/customers/7/events", http.StatusOK, `"revealed":false`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			router, _ := adminFixture(t)
			status, body := adminGet(router, AdminAPIPath+tc.target, keyOfAccount1)
			if got := mustJSON(t, body); status != tc.status || !strings.Contains(got, tc.want) {
				t.Fatalf("GET %s = %d %s; want %d with %q", tc.target, status, got, tc.status, tc.want)
			}
		})
	}
}

func TestAdminAPIAnswersAreNotCached(t *testing.T) {
	t.Parallel()
	router, _ := adminFixture(t)
	for _, key := range []string{"", keyOfAccount1} {
		req := request(http.MethodGet, AdminAPIPath+"/customers/7", "", "")
		req.Header.Set("Authorization", "Bearer "+key)
		if rec := serve(router, req); !slices.Contains(rec.Header().Values("Cache-Control"), "no-store") {
			t.Fatalf("key %q: Cache-Control %q", key, rec.Header().Values("Cache-Control"))
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
