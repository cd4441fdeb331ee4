package transport

import (
	"bytes"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// TestABodyTooLargeIsLoggedUnderItsRoute: a body whose Content-Length is over the cap is refused before
// routing; its access line still names the route it was sent to (not the path, which may carry personal
// data), as every routed request's does. A path no route serves is logged by its path, as a 404 is.
func TestABodyTooLargeIsLoggedUnderItsRoute(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, path, wantRoute, wantPath string
	}{
		{"a route", probePath + "?site_id=1232", probePath, ""},
		{"no route", APIBasePath + "/nowhere", "", APIBasePath + "/nowhere"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a server capping bodies at 64 bytes, and a log we can read
			var logs bytes.Buffer
			router := newTestRouter(t, Dependencies{Sites: testSites, MaxBodyBytes: 64,
				Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
			// when a body of 65 bytes is announced
			rec := serve(router, request("POST", tc.path, "application/json", strings.Repeat(" ", 65)))
			// then it is refused 413, and logged under its route
			line := accessLine(t, &logs)
			if rec.Code != http.StatusRequestEntityTooLarge || line["status"] != float64(http.StatusRequestEntityTooLarge) {
				t.Fatalf("status %d, logged %v; want 413", rec.Code, line["status"])
			}
			if route, _ := line["route"].(string); route != tc.wantRoute {
				t.Errorf("route = %q, want %q (line %v)", route, tc.wantRoute, line)
			}
			if path, _ := line["path"].(string); path != tc.wantPath {
				t.Errorf("path = %q, want %q (line %v)", path, tc.wantPath, line)
			}
		})
	}
}
