package transport

import (
	"bytes"
	"cmp"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// X-Request-Id is a correlation id only: two requests that share one are two commands, whatever their
// bodies. Each case sends a first request and then a different second one under the same X-Request-Id,
// and checks that the second took effect.

// sameRequestID sends req with X-Request-Id "shared-id" and returns the answer, failing unless it is a 200.
func sameRequestID(t *testing.T, router http.Handler, req *http.Request) map[string]any {
	t.Helper()
	req.Header.Set(requestIDHeader, "shared-id")
	rec := serve(router, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s %s = %d %s", req.Method, req.URL, rec.Code, rec.Body)
	}
	if got := rec.Header().Get(requestIDHeader); got != "shared-id" {
		t.Fatalf("X-Request-Id echoed %q, want the caller's", got)
	}
	return decodeBody[map[string]any](t, rec)
}

// testARepeatedRequestIDIsNotARetry runs in TestIdempotencyKeysOfCustomers, on its stack.
func testARepeatedRequestIDIsNotARetry(t *testing.T, _ Dependencies, world *customerWorld) {
	t.Parallel()
	site := fmt.Sprintf("?site_id=%d", customerSite)
	cases := []struct {
		name string
		run  func(t *testing.T, token string)
	}{
		{"PUT /customer", func(t *testing.T, token string) {
			first := sameRequestID(t, world.router, world.request(http.MethodPut, "/customer"+site, token, `{"first_name":"Ann"}`))
			token = profileFreshToken(t, first, token)
			// when another change is sent with the same request id, then it is made
			second := sameRequestID(t, world.router, world.request(http.MethodPut, "/customer"+site, token, `{"first_name":"Bea"}`))
			if got := profileData(t, second)["first_name"]; got != "Bea" {
				t.Fatalf("first_name after the second update = %v, want Bea", got)
			}
		}},
		{"POST /address", func(t *testing.T, token string) {
			first := sameRequestID(t, world.router, world.request(http.MethodPost, "/address"+site, token, `{"line1":"1 Main St","country":"US","state":"NY"}`))
			token = profileFreshToken(t, first, token)
			// when another address is added with the same request id, then the customer has both
			second := sameRequestID(t, world.router, world.request(http.MethodPost, "/address"+site, token, `{"line1":"2 Side St","country":"CA","state":"QC"}`))
			if got := addressesOf(t, profileData(t, second)); len(got) != 2 || addedAddressID(t, second) == addedAddressID(t, first) {
				t.Fatalf("addresses after the second add = %v (ids %d, %d)", got, addedAddressID(t, first), addedAddressID(t, second))
			}
		}},
		{"POST /password/update", func(t *testing.T, token string) {
			change := func(token, old, new string) *http.Request {
				return world.request(http.MethodPost, "/password/update"+site, token, fmt.Sprintf(
					`{"old_password":%q,"new_password":%q,"confirm_new_password":%q}`, old, new, new))
			}
			// the password change cuts off tokens issued in earlier seconds: start on a fresh second
			time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second)))
			first := sameRequestID(t, world.router, change(token, customerPassword, "Second-123"))
			token = profileFreshToken(t, first, token)
			// when the password is changed again with the same request id, then the newest password signs in
			sameRequestID(t, world.router, change(token, "Second-123", "Third-123"))
			email := profileData(t, first)["email"].(string)
			login := world.call(http.MethodPost, "/auth/login"+site, "", fmt.Sprintf(`{"email":%q,"password":"Third-123"}`, email))
			if login.Code != http.StatusOK {
				t.Fatalf("login with the newest password = %d %s", login.Code, login.Body)
			}
		}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a customer of their own
			token, _ := world.register(t, fmt.Sprintf("ann%d@arepeatedrequestid.example.com", i), customerPassword)
			tc.run(t, token)
		})
	}
}

// testARepeatedRequestIDIsNotANewsletterRetry runs in TestIdempotencyKeysOfPublicCallers, on its stack.
func testARepeatedRequestIDIsNotANewsletterRetry(t *testing.T, router http.Handler) {
	sameRequestID(t, router, request(http.MethodPost, APIBasePath+"/newsletter?site_id=1232", "application/json", `{"email":"cy@example.com"}`))
	// given an update made under a request id
	sameRequestID(t, router, request(http.MethodPut, APIBasePath+"/newsletter/cy@example.com?site_id=1232", "application/json", `{"first_name":"Cy"}`))
	// when another update is sent with the same request id, then it is made
	second := sameRequestID(t, router, request(http.MethodPut, APIBasePath+"/newsletter/cy@example.com?site_id=1232", "application/json", `{"first_name":"Di"}`))
	if got := second["data"].(map[string]any)["first_name"]; got != "Di" {
		t.Fatalf("first_name after the second update = %v, want Di", got)
	}
}

func TestTheClientsRequestIDStaysOutOfTheEventLogAndTheAccessLogTiesBothIDs(t *testing.T) {
	t.Parallel()
	deps, store, _ := newsletterStack(t)
	names := testStreamNames(t)
	cases := []struct {
		name, clientID, email string
	}{
		// a client may put anything in its own id, personal data included, which erasure could never reach
		{"with a client id", "jane.doe.at.example.com", "jane@example.com"},
		{"without one", "", "joe@example.com"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a router whose log we read
			var logs bytes.Buffer
			deps := deps
			deps.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
			router := newTestRouter(t, deps)

			// when a subscription is sent with (or without) the client's id
			req := request(http.MethodPost, APIBasePath+"/newsletter?site_id=1232", "application/json",
				fmt.Sprintf(`{"email":%q}`, tc.email))
			if tc.clientID != "" {
				req.Header.Set(requestIDHeader, tc.clientID)
			}
			rec := serve(router, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("POST /newsletter = %d %s", rec.Code, rec.Body)
			}

			// then the access log names the server's id, and the client's next to it
			access := accessLine(t, &logs)
			serverID, _ := access["request_id"].(string)
			if _, err := uuid.Parse(serverID); err != nil || serverID == tc.clientID {
				t.Fatalf("access log request_id = %q, want a server-generated UUID", serverID)
			}
			if got, sent := access["client_request_id"], tc.clientID != ""; sent && got != tc.clientID || !sent && got != nil {
				t.Fatalf("access log client_request_id = %v, want %q", got, tc.clientID)
			}
			// and the client still gets its own id back (or the server's when it sent none)
			if want := cmp.Or(tc.clientID, serverID); rec.Header().Get(requestIDHeader) != want {
				t.Fatalf("X-Request-Id echoed %q, want %q", rec.Header().Get(requestIDHeader), want)
			}
			// and the events carry the server's id as their correlation id, and nothing of the client's
			stream, err := names.NewsletterStream(englishSite, tc.email)
			if err != nil {
				t.Fatal(err)
			}
			events, err := store.ReadStream(t.Context(), stream, eventstore.Forwards, eventstore.StreamStart(), 10)
			if err != nil || len(events) == 0 {
				t.Fatalf("read %s: %d events, %v", stream, len(events), err)
			}
			for _, event := range events {
				metadata, err := aggregates.ParseMetadata(event.Metadata)
				if err != nil {
					t.Fatal(err)
				}
				if metadata.CorrelationID != serverID {
					t.Fatalf("%s correlation_id = %q, want the server's %q", event.Type, metadata.CorrelationID, serverID)
				}
				if tc.clientID != "" && (strings.Contains(string(event.Metadata), tc.clientID) || strings.Contains(string(event.Data), tc.clientID)) {
					t.Fatalf("%s stores the client's id: %s", event.Type, event.Metadata)
				}
			}
		})
	}
}
