package transport

import (
	"encoding/json"
	"net/http"
	"testing"
)

// Given the admin API, which only reads, when a route is called with another method, then it answers 405
// with Allow naming the methods it serves, in the error shape (docs/http-conventions.md), key or no key.
func TestAdminAPIAnswersWrongMethodsWith405(t *testing.T) {
	t.Parallel()
	paths := []string{"/projections", "/customers", "/customers/7", "/customers/7/timeline", "/customers/7/as-of",
		"/customers/7/events"}
	for _, path := range paths {
		for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			for _, key := range []string{keyOfAccount1, ""} {
				t.Run(method+" "+path+" "+key, func(t *testing.T) {
					t.Parallel()
					router, _ := adminFixture(t)
					req := request(method, AdminAPIPath+path, "", "")
					if key != "" {
						req.Header.Set("Authorization", "Bearer "+key)
					}
					rec := serve(router, req)
					var body struct {
						Error struct {
							Status int `json:"status"`
						} `json:"error"`
					}
					_ = json.Unmarshal(rec.Body.Bytes(), &body)
					if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET" || body.Error.Status != 405 {
						t.Fatalf("%s %s = %d, Allow %q: %s", method, path, rec.Code, rec.Header().Get("Allow"), rec.Body.String())
					}
				})
			}
		}
	}
}
