package transport

import (
	"net/http"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
)

func testEmailVerificationRoundTrip(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	deps.Catalog = profileVerifyingCatalog{deps.Catalog}
	client := newProfileClient(t, deps)
	token, id := world.register(t, "ann@emailverificationroundtrip.example.com", customerPassword)
	client.token = token

	// when the customer asks for a verification link, then the answer has a fresh JWT and a link was issued
	client.token = profileFreshToken(t, client.call(t, http.MethodGet, "/customer/email/verify", "", http.StatusOK), token)
	link := world.mailedToken(t, id, customer.PurposeEmailVerification)
	// when anyone posts the link's token, then the email is confirmed and the answer carries no JWT
	public := newProfileClient(t, deps)
	data := profileData(t, public.call(t, http.MethodPost, "/customer/email/verify", `{"email_verify_token":"`+link+`"}`, http.StatusOK))
	if data["email_confirm"] != true || data["id"] != float64(id) {
		t.Fatalf("verified customer = %v", data)
	}
	if _, has := data["auth_token"]; has {
		t.Fatalf("the public verification answered a JWT: %v", data)
	}
	// when the link is used again, then it is refused like an unknown one (spec #16: a one-time link)
	if got := profileErrorMessage(t, public.call(t, http.MethodPost, "/customer/email/verify", `{"email_verify_token":"`+link+`"}`,
		http.StatusNotFound)); got != "This verification link is invalid or has expired." {
		t.Fatalf("used link message = %q", got)
	}
	// and asking for another link is refused: the email is verified already
	if got := profileErrorMessage(t, client.call(t, http.MethodGet, "/customer/email/verify", "", http.StatusNotFound)); got != "Your email address is already verified." {
		t.Fatalf("already verified message = %q", got)
	}
	// when the email changes, then it is unconfirmed again
	data = profileData(t, client.call(t, http.MethodPut, "/customer", `{"email":"Ann.Lee@Emailverificationroundtrip.Example.com"}`, http.StatusOK))
	if data["email"] != "ann.lee@emailverificationroundtrip.example.com" || data["email_confirm"] != false {
		t.Fatalf("after the email change: email %v, email_confirm %v", data["email"], data["email_confirm"])
	}
}

func testVerifyEmailRefusesBadTokens(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	deps.Catalog = profileVerifyingCatalog{deps.Catalog}
	client := newProfileClient(t, deps)
	token, id := world.register(t, "ann@verifyemailrefusesbadtokens.example.com", customerPassword)
	client.token = token
	client.call(t, http.MethodGet, "/customer/email/verify", "", http.StatusOK)
	stale := world.mailedToken(t, id, customer.PurposeEmailVerification)
	// given a link sent to an email the customer no longer has
	client.call(t, http.MethodPut, "/customer", `{"email":"ann.lee@verifyemailrefusesbadtokens.example.com"}`, http.StatusOK)
	public := newProfileClient(t, deps)

	invalid := "This verification link is invalid or has expired."
	cases := []struct {
		name, body string
		status     int
		field      string // for validation answers
		message    string
	}{
		{"token for the old email", `{"email_verify_token":"` + stale + `"}`, 404, "", invalid},
		{"forged token", `{"email_verify_token":"` + stale[:len(stale)-2] + `xx"}`, 404, "", invalid},
		{"not a token", `{"email_verify_token":"hello"}`, 404, "", invalid},
		{"unknown customer", `{"email_verify_token":"999999.abc"}`, 404, "", invalid},
		{"missing", `{}`, 400, "email_verify_token", "The email verify token field is required."},
		{"not text", `{"email_verify_token":{"a":1}}`, 400, "email_verify_token", "The email verify token must be a string."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			answer := public.call(t, http.MethodPost, "/customer/email/verify", tc.body, tc.status)
			if tc.field != "" {
				if got := profileFieldMessages(t, answer, tc.field); got[0] != tc.message {
					t.Fatalf("messages = %v, want %q", got, tc.message)
				}
				return
			}
			if got := profileErrorMessage(t, answer); got != tc.message {
				t.Fatalf("message = %q, want %q", got, tc.message)
			}
		})
	}
	t.Run("in German", func(t *testing.T) {
		t.Parallel()
		rec := public.send(t, request(http.MethodPost, profileTarget("/customer/email/verify?language=de"), "application/json",
			`{"email_verify_token":"`+stale+`"}`), http.StatusNotFound)
		if rec.Header().Get("Content-Language") != "de" {
			t.Fatalf("Content-Language = %q, want de", rec.Header().Get("Content-Language"))
		}
		if got := profileErrorMessage(t, decodeBody[map[string]any](t, rec)); got != "Dieser Bestätigungslink ist ungültig oder abgelaufen." {
			t.Fatalf("German message = %q", got)
		}
	})
}

func testVerificationLinksAreThrottled(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	deps.Catalog = profileVerifyingCatalog{deps.Catalog}
	client := newProfileClient(t, deps)
	token, _ := world.register(t, "ann@verificationlinksarethrottled.example.com", customerPassword)
	client.token = token

	// given five links asked for within the hour
	for range customer.TokensPerHour {
		client.call(t, http.MethodGet, "/customer/email/verify", "", http.StatusOK)
	}
	// when a sixth is asked for, then it is refused with 429, saying when the first of the five is an hour old
	rec := client.send(t, request(http.MethodGet, profileTarget("/customer/email/verify"), "", ""), http.StatusTooManyRequests)
	if got := profileErrorMessage(t, decodeBody[map[string]any](t, rec)); got != "Too many requests. Please try again later." {
		t.Fatalf("throttled message = %q", got)
	}
	assertRetryAfter(t, rec, 50*time.Minute, time.Hour)
}

func testEmailChangeMailsAVerificationLinkWhenTheSiteVerifiesEmails(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	cases := []struct {
		name, mailbox string
		verifying     bool
	}{
		{"site verifies emails: a link to the new email confirms it", "verifying", true},
		{"site does not: no link is mailed", "quiet", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			deps := deps
			if tc.verifying {
				deps.Catalog = profileVerifyingCatalog{deps.Catalog}
			}
			client := newProfileClient(t, deps)
			token, id := world.register(t, tc.mailbox+"@emailchange.example.com", customerPassword)
			client.token = token

			// when the email changes
			changed := tc.mailbox + ".new@emailchange.example.com"
			data := profileData(t, client.call(t, http.MethodPut, "/customer", `{"email":"`+changed+`"}`, http.StatusOK))
			if data["email"] != changed || data["email_confirm"] != false {
				t.Fatalf("after the change: %v", data)
			}
			// then a link to the new email was issued only when the site verifies emails, with the change in one
			// write, and it confirms it
			if tc.verifying {
				last := world.lastEvents(t, id, 2)
				if last[0].Type != "customer.one_time_token_issued" || last[1].Type != "customer.email_changed" ||
					last[0].Position.Commit != last[1].Position.Commit {
					t.Fatalf("the change and its link were not written together: %s at %s, %s at %s",
						last[1].Type, last[1].Position, last[0].Type, last[0].Position)
				}
				link := world.mailedToken(t, id, customer.PurposeEmailVerification)
				newProfileClient(t, deps).call(t, http.MethodPost, "/customer/email/verify", `{"email_verify_token":"`+link+`"}`, http.StatusOK)
				client.call(t, http.MethodGet, "/customer/email/verify", "", http.StatusNotFound)
				return
			}
			if last := world.lastEvents(t, id, 1); last[0].Type != "customer.email_changed" {
				t.Fatalf("the change on a site that does not verify emails wrote %s after it", last[0].Type)
			}
		})
	}
}

func testEmailChangeStandsWhenNoMoreLinksMayBeSent(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	deps.Catalog = profileVerifyingCatalog{deps.Catalog}
	client := newProfileClient(t, deps)
	token, _ := world.register(t, "ann@emailchangestandswhennomorelin.example.com", customerPassword)
	client.token = token
	// given the hour's links all used
	for range customer.TokensPerHour {
		client.call(t, http.MethodGet, "/customer/email/verify", "", http.StatusOK)
	}
	// when the email changes, then the change is made all the same
	data := profileData(t, client.call(t, http.MethodPut, "/customer", `{"email":"ann.lee@emailchangestandswhennomorelin.example.com"}`, http.StatusOK))
	if data["email"] != "ann.lee@emailchangestandswhennomorelin.example.com" {
		t.Fatalf("email = %v after a throttled verification", data["email"])
	}
}

// TestCustomerEmailVerificationEndpoints runs the email verification tests (#16, #17, rule 10) on one
// stack, as one database per test would exhaust the connections of the shared PostgreSQL; each test
// registers its own customers.
func TestCustomerEmailVerificationEndpoints(t *testing.T) {
	t.Parallel()
	deps, world := customerStack(t)
	for _, test := range []struct {
		name string
		run  func(*testing.T, Dependencies, *customerWorld)
	}{
		{"email verification round trip", testEmailVerificationRoundTrip},
		{"verify email refuses bad tokens", testVerifyEmailRefusesBadTokens},
		{"verification links are throttled", testVerificationLinksAreThrottled},
		{"email change mails a verification link when the site verifies emails", testEmailChangeMailsAVerificationLinkWhenTheSiteVerifiesEmails},
		{"email change stands when no more links may be sent", testEmailChangeStandsWhenNoMoreLinksMayBeSent},
		{"verification is refused where the site does not verify emails", testVerificationIsRefusedWhereTheSiteDoesNotVerifyEmails},
		{"links are mailed in the customer's language", testLinksAreMailedInTheCustomersLanguage},
	} {
		t.Run(test.name, func(t *testing.T) { test.run(t, deps, world) })
	}
}
