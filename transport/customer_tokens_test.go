package transport

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// blacklisted is the message of a revoked token (403).
const blacklisted = "Authentication token has been blacklisted, please try again"

// testOneTokenNeverForksUnderConcurrentRequests sends ten requests that revoke one token (refresh, logout,
// or both) at the same time: exactly one may succeed, the others are refused as if they came after it.
func testOneTokenNeverForksUnderConcurrentRequests(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	tests := []struct {
		name    string
		refresh int
		logout  int
		label   string
	}{
		{name: "ten refreshes", refresh: 10, label: "refreshes"},
		{name: "ten logouts", logout: 10, label: "logouts"},
		{name: "refreshes racing logouts", refresh: 5, logout: 5, label: "mixed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client := newProfileClient(t, deps)
			token, _ := world.register(t, fmt.Sprintf("ann@%s.concurrenttokenrevocation.example.com", tt.label), customerPassword)

			// when the requests, all presenting one token, arrive together
			paths := make([]string, 0, tt.refresh+tt.logout)
			for range tt.refresh {
				paths = append(paths, "/customer/refresh")
			}
			for range tt.logout {
				paths = append(paths, "/auth/logout")
			}
			answers := make([]*httptest.ResponseRecorder, len(paths))
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i, path := range paths {
				req := request(http.MethodPost, profileTarget(path), "", "")
				req.Header.Set("Authorization", "Bearer "+token)
				wg.Go(func() {
					<-start
					answers[i] = serve(client.router, req)
				})
			}
			close(start)
			wg.Wait()

			// then exactly one succeeds; every other one is 403 in the documented shape
			var winner *httptest.ResponseRecorder
			winnerPath := ""
			for i, answer := range answers {
				client.checker.CheckResponse(t, request(http.MethodPost, profileTarget(paths[i]), "", ""), answer)
				switch answer.Code {
				case http.StatusOK:
					if winner != nil {
						t.Fatalf("two requests succeeded with one token: %s and %s", winnerPath, paths[i])
					}
					winner, winnerPath = answer, paths[i]
				case http.StatusForbidden:
					assertError(t, answer, http.StatusForbidden, blacklisted)
				default:
					t.Fatalf("%s = %d %s, want 200 or 403", paths[i], answer.Code, answer.Body)
				}
			}
			if winner == nil {
				t.Fatal("no request succeeded")
			}
			// and the old token is dead, while a refresh's one new token works
			client.token = token
			client.call(t, http.MethodPost, "/customer", "", http.StatusForbidden)
			if winnerPath == "/customer/refresh" {
				client.token = profileFreshToken(t, decodeBody[map[string]any](t, winner), token)
				client.call(t, http.MethodPost, "/customer", "", http.StatusOK)
			}
		})
	}
}
