package transport

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/auth"
)

func TestProtectedEndpointsRefuseBadTokens(t *testing.T) {
	t.Parallel()
	_, world := customerStack(t)
	token, id := world.register(t, customerTestEmail, customerPassword)
	header, payload, _ := strings.Cut(token, ".")
	payload, signature, _ := strings.Cut(payload, ".")
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + payload + "."
	tampered := header + "." + payload + "." + strings.Map(func(r rune) rune {
		if r == 'A' {
			return 'B'
		}
		return 'A'
	}, signature)
	past, err := auth.NewTokens([]byte("jwt-key-of-the-tests-0123456789abcdef"), testIssuer)
	if err != nil {
		t.Fatal(err)
	}
	past.Now = func() time.Time { return time.Now().Add(-48 * time.Hour) }
	expired, _, err := past.Issue(id, 1, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	otherAccount, _, err := world.tokens.Issue(id, 2, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	ghost, _, err := world.tokens.Issue(id+1000, 1, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	// a token signed with the server's key for this account, naming a customer of another account
	elsewhere := world.call(http.MethodPost, fmt.Sprintf("/auth/register?site_id=%d", otherAccountSite), "",
		fmt.Sprintf(`{"email":"stranger@example.com","password":%q}`, customerPassword))
	stranger := decodeBody[struct {
		Data struct {
			ID int64 `json:"id"`
		} `json:"data"`
	}](t, elsewhere).Data.ID
	if elsewhere.Code != http.StatusOK || stranger == 0 {
		t.Fatalf("register on the other account = %d %s", elsewhere.Code, elsewhere.Body)
	}
	crossAccount, _, err := world.tokens.Issue(stranger, 1, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, authorization string
		status              int
		message             string
	}{
		{"no header", "", http.StatusUnauthorized, "Token not provided"},
		{"another scheme", "Basic " + token, http.StatusUnauthorized, "Token not provided"},
		{"alg none", "Bearer " + none, http.StatusUnauthorized, "Invalid or expired token"},
		{"tampered signature", "Bearer " + tampered, http.StatusUnauthorized, "Invalid or expired token"},
		{"expired", "Bearer " + expired, http.StatusUnauthorized, "Invalid or expired token"},
		{"another account", "Bearer " + otherAccount, http.StatusUnauthorized, "Invalid or expired token"},
		{"oversized header", "Bearer " + strings.Repeat("a", 64<<10), http.StatusUnauthorized, "Invalid or expired token"},
		{"garbage", "Bearer not.a.jwt", http.StatusUnauthorized, "Invalid or expired token"},
		{"customer who does not exist", "Bearer " + ghost, http.StatusUnauthorized, "Invalid or expired token"},
		{"customer of another account than the token's", "Bearer " + crossAccount, http.StatusUnauthorized, "Invalid or expired token"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// when a protected endpoint is called with the token
			req := world.request(http.MethodPost, fmt.Sprintf("/customer?site_id=%d", customerSite), "", "")
			if tc.authorization != "" {
				req.Header.Set("Authorization", tc.authorization)
			}
			// then it is refused with the documented status and message
			assertError(t, serve(world.router, req), tc.status, tc.message)
		})
	}
	// and the genuine token still works
	if rec := world.call(http.MethodPost, fmt.Sprintf("/customer?site_id=%d", customerSite), token, ""); rec.Code != http.StatusOK {
		t.Fatalf("genuine token = %d %s", rec.Code, rec.Body)
	}
}

func TestConcurrentRegistrationsOfOneEmailOverHTTP(t *testing.T) {
	t.Parallel()
	_, world := customerStack(t)
	// when 50 registrations of one email arrive at once
	codes := make([]int, 50)
	bodies := make([]string, 50)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Go(func() {
			rec := world.call(http.MethodPost, fmt.Sprintf("/auth/register?site_id=%d", customerSite), "",
				fmt.Sprintf(`{"email":"race@example.com","password":%q}`, customerPassword))
			codes[i], bodies[i] = rec.Code, rec.Body.String()
		})
	}
	wg.Wait()
	// then one customer is created and the 49 others are told the email is taken
	var created, taken int
	for i, code := range codes {
		switch {
		case code == http.StatusOK:
			created++
		case code == http.StatusBadRequest && strings.TrimSpace(bodies[i]) == `{"errors":{"email":["The email has already been taken."]}}`:
			taken++
		default:
			t.Errorf("answer %d: %d %s", i, code, bodies[i])
		}
	}
	if created != 1 || taken != 49 {
		t.Fatalf("%d created, %d taken; want 1 and 49", created, taken)
	}
}
