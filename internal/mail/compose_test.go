package mail

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
)

var (
	issuedAt  = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	expiresAt = issuedAt.Add(time.Hour)
	eventID   = uuid.MustParse("6f1c2a7e-52a4-4d1c-9a53-3f0a1d2b9c11")
)

func tokenIssued(purpose customer.Purpose) customer.OneTimeTokenIssued {
	return customer.OneTimeTokenIssued{CustomerID: 42, SiteID: 7, Purpose: purpose, Email: "ann+news@example.com",
		Nonce: "n1", TokenHash: "h1", ExpiresAt: expiresAt, IssuedAt: issuedAt}
}

func TestOneTimeTokenMessage(t *testing.T) {
	t.Parallel()
	daily := Site{Name: "The Daily", Link: "https://daily.example.com/"}
	cases := []struct {
		name        string
		site        Site
		purpose     customer.Purpose
		wantSubject string
		wantLine    string // the line of the body a customer acts on
	}{
		{"passwordless opens the passwordless-login view", daily, customer.PurposePasswordless,
			"Your sign-in link for The Daily", "https://daily.example.com/?view=passwordless-login&token=42.abc_-"},
		{"password reset carries the escaped email for the reset form", daily, customer.PurposePasswordReset,
			"Reset your The Daily password",
			"https://daily.example.com/?view=password-reset&token=42.abc_-&email=ann%2Bnews%40example.com"},
		{"email verification opens the email-verify view", daily, customer.PurposeEmailVerification,
			"Confirm your email address for The Daily", "https://daily.example.com/?view=email-verify&token=42.abc_-"},
		{"a link with a query and a fragment keeps both",
			Site{Name: "The Daily", Link: "https://daily.example.com/news?lang=fr#top"}, customer.PurposePasswordless,
			"Your sign-in link for The Daily", "https://daily.example.com/news?lang=fr&view=passwordless-login&token=42.abc_-#top"},
		{"a site without a link gets the token to paste", Site{Name: "The Daily"}, customer.PurposePasswordless,
			"Your sign-in link for The Daily", "42.abc_-"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a token issued for a customer of the site
			e := tokenIssued(tc.purpose)

			// when its message is composed
			m, err := OneTimeTokenMessage(eventID, tc.site, e, "42.abc_-")

			// then it goes to the customer's email, keyed by the event, with the link (or code) on a line of its own
			if err != nil {
				t.Fatalf("OneTimeTokenMessage: %v", err)
			}
			want := Message{ID: eventID, SiteID: 7, CustomerID: 42, Kind: string(tc.purpose),
				Recipient: "ann+news@example.com", Subject: tc.wantSubject, CreatedAt: issuedAt, ExpiresAt: expiresAt}
			got := m
			got.Body = ""
			if got != want {
				t.Fatalf("message = %+v, want %+v", got, want)
			}
			if !strings.Contains(m.Body, "\n\n"+tc.wantLine+"\n\n") {
				t.Fatalf("body does not hold the line %q:\n%s", tc.wantLine, m.Body)
			}
			if !strings.Contains(m.Body, "1 March 2026 10:00 UTC") {
				t.Fatalf("body does not say when the token expires:\n%s", m.Body)
			}
		})
	}
}

func TestOneTimeTokenMessageRefuses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		site    Site
		purpose customer.Purpose
		want    string
	}{
		{"an unknown purpose", Site{Name: "D", Link: "https://d.example.com"}, "invite_v0", `purpose "invite_v0"`},
		{"a link that is not absolute http(s)", Site{Name: "D", Link: "ftp://d.example.com"}, customer.PurposePasswordless,
			"site 7 link"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := OneTimeTokenMessage(eventID, tc.site, tokenIssued(tc.purpose), "42.x")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}
