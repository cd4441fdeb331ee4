package customer_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
)

// issued is a token of that purpose sent to Ann's first email on site 1232 at the given time, valid a day.
func issued(purpose customer.Purpose, hash string, at time.Time) customer.OneTimeTokenIssued {
	return customer.OneTimeTokenIssued{CustomerID: annID, SiteID: 1232, Purpose: purpose, Email: "ann@example.com",
		Nonce: "nonce-" + hash, TokenHash: hash, ExpiresAt: at.Add(24 * time.Hour), IssuedAt: at}
}

var (
	emailChanged = customer.EmailChanged{CustomerID: annID, Email: "ann@new.example", ChangedAt: registerTime.Add(time.Hour)}
	confirmed    = customer.EmailVerified{CustomerID: annID, Email: "ann@example.com", VerifiedAt: registerTime}
)

func TestIssueToken(t *testing.T) {
	t.Parallel()
	request := func(purpose customer.Purpose) customer.TokenRequest {
		return customer.TokenRequest{SiteID: 1233, Purpose: purpose, Nonce: "n-new", TokenHash: "h-new", ExpiresAt: now.Add(time.Hour)}
	}
	sent := func(purpose customer.Purpose, email string) customer.OneTimeTokenIssued {
		return customer.OneTimeTokenIssued{CustomerID: annID, SiteID: 1233, Purpose: purpose, Email: email, Nonce: "n-new",
			TokenHash: "h-new", ExpiresAt: now.Add(time.Hour), IssuedAt: now, Language: "en"}
	}
	fiveWithinAnHour := []customer.Event{registered()}
	for i := range customer.TokensPerHour {
		fiveWithinAnHour = append(fiveWithinAnHour,
			issued(customer.PurposePasswordless, fmt.Sprint("p", i), now.Add(-time.Hour+time.Duration(i+1)*time.Minute)))
	}
	fiveAnHourAgo := []customer.Event{registered(), issued(customer.PurposePasswordless, "p0", now.Add(-time.Hour))}
	fiveAnHourAgo = append(fiveAnHourAgo, fiveWithinAnHour[2:]...)

	cases := []struct {
		name    string
		given   []customer.Event
		purpose customer.Purpose
		want    []customer.Event
		wantErr error
	}{
		{"a token is sent to the current email", []customer.Event{registered(), emailChanged}, customer.PurposePasswordReset,
			[]customer.Event{sent(customer.PurposePasswordReset, "ann@new.example")}, nil},
		{"a verification link is sent to an unconfirmed email", []customer.Event{registered(), confirmed, emailChanged},
			customer.PurposeEmailVerification, []customer.Event{sent(customer.PurposeEmailVerification, "ann@new.example")}, nil},
		{"spec #16: no verification link for a confirmed email", []customer.Event{registered(), confirmed},
			customer.PurposeEmailVerification, nil, customer.ErrAlreadyVerified},
		{"rule 8: a sixth token of a purpose within an hour is refused", fiveWithinAnHour,
			customer.PurposePasswordless, nil, customer.ErrThrottled},
		{"the throttle counts each purpose on its own", fiveWithinAnHour, customer.PurposePasswordReset,
			[]customer.Event{sent(customer.PurposePasswordReset, "ann@example.com")}, nil},
		{"a token issued an hour ago no longer counts", fiveAnHourAgo, customer.PurposePasswordless,
			[]customer.Event{sent(customer.PurposePasswordless, "ann@example.com")}, nil},
		{"an unknown purpose is refused", []customer.Event{registered()}, "magic", nil, customer.ErrUnknownPurpose},
		{"an unknown customer is refused", nil, customer.PurposePasswordless, nil, customer.ErrNotRegistered},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			outcome := customers.Given(tc.given...).When(on(customer.IssueToken, request(tc.purpose)))
			if tc.wantErr != nil {
				outcome.ThenError(t, tc.wantErr)
				return
			}
			outcome.Then(t, tc.want...)
		})
	}
}

func TestTokenMemoryIsBoundedPerPurpose(t *testing.T) {
	t.Parallel()
	// given a verification link, then more passwordless links than the state remembers
	history := []customer.Event{registered(), issued(customer.PurposeEmailVerification, "verify", now.Add(-time.Hour))}
	for i := range customer.MaxTokensPerPurpose + 5 {
		history = append(history, customer.OneTimeTokenIssued{CustomerID: annID, SiteID: 1232,
			Purpose: customer.PurposePasswordless, Email: "ann@example.com", Nonce: "n", TokenHash: fmt.Sprint("p", i),
			IssuedAt: registerTime, ExpiresAt: now.Add(90 * 24 * time.Hour)})
	}
	s := stateOf(history...)
	if len(s.Tokens) != customer.MaxTokensPerPurpose+1 {
		t.Fatalf("the state remembers %d tokens, want %d", len(s.Tokens), customer.MaxTokensPerPurpose+1)
	}
	login := func(hash string) decision {
		return on(customer.LoginWithToken, customer.TokenLogin{SiteID: 1232, TokenHash: hash})
	}
	// then the oldest passwordless tokens are forgotten, the newest kept, and the verification link survives
	customers.Given(history...).When(login("p4")).ThenError(t, customer.ErrTokenInvalid)
	customers.Given(history...).When(login("p5")).Then(t)
	customers.Given(history...).When(on(customer.VerifyEmail, customer.EmailVerification{TokenHash: "verify"})).
		Then(t, customer.EmailVerified{CustomerID: annID, Email: "ann@example.com", VerifiedAt: now})
}

func TestLoginWithToken(t *testing.T) {
	t.Parallel()
	token := issued(customer.PurposePasswordless, "p1", now.Add(-time.Minute))
	login := customer.TokenLogin{SiteID: 1232, TokenHash: "p1"}
	cases := []struct {
		name  string
		given []customer.Event
		login customer.TokenLogin
	}{
		{"another site's token is refused", []customer.Event{registered(), token}, customer.TokenLogin{SiteID: 1233, TokenHash: "p1"}},
		{"a forged token is refused", []customer.Event{registered(), token}, customer.TokenLogin{SiteID: 1232, TokenHash: "p2"}},
		{"an empty token is refused", []customer.Event{registered(), token}, customer.TokenLogin{SiteID: 1232}},
		{"an expired token is refused", []customer.Event{registered(), issued(customer.PurposePasswordless, "p1", now.Add(-24*time.Hour))}, login},
		{"a token of another purpose is refused", []customer.Event{registered(), issued(customer.PurposePasswordReset, "p1", now)}, login},
		{"a token sent to an earlier email is refused", []customer.Event{registered(), token, emailChanged}, login},
		{"an unknown customer gives the same answer", nil, login},
		{"a password reset revokes the links mailed before", []customer.Event{registered(), token,
			issued(customer.PurposePasswordReset, "r1", now.Add(-time.Minute)),
			customer.PasswordChanged{CustomerID: annID, PasswordHash: "hash-2", ResetTokenHash: "r1", ChangedAt: now.Add(-time.Second)}}, login},
		{"a password update revokes the links mailed before", []customer.Event{registered(), token,
			customer.PasswordChanged{CustomerID: annID, PasswordHash: "hash-2", ChangedAt: now.Add(-time.Second)}}, login},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			customers.Given(tc.given...).When(on(customer.LoginWithToken, tc.login)).ThenError(t, customer.ErrTokenInvalid)
		})
	}
	t.Run("rule 8: a valid token signs in, again and again until it expires", func(t *testing.T) {
		t.Parallel()
		// the sign-in changes nothing of the customer: it is recorded in the sign-in stream (RecordLogin)
		used := customer.LoggedIn{CustomerID: annID, SiteID: 1232, Method: "passwordless", LoggedInAt: now.Add(-time.Second)}
		customers.Given(registered(), token, used).When(on(customer.LoginWithToken, login)).Then(t)
	})
	t.Run("a link mailed after the password changed signs in", func(t *testing.T) {
		t.Parallel()
		changed := customer.PasswordChanged{CustomerID: annID, PasswordHash: "hash-2", ChangedAt: token.IssuedAt.Add(-time.Second)}
		customers.Given(registered(), changed, token).When(on(customer.LoginWithToken, login)).Then(t)
	})
	t.Run("a stronger hash of the same password revokes nothing", func(t *testing.T) {
		t.Parallel()
		rehashed := customer.PasswordRehashed{CustomerID: annID, PasswordHash: "hash-1b", RehashedAt: now.Add(-time.Second)}
		customers.Given(registered(), token, rehashed).When(on(customer.LoginWithToken, login)).Then(t)
	})
	t.Run("a valid token unlinks an identity linked without proof of the email", func(t *testing.T) {
		t.Parallel()
		unproven := customer.IdentityLinked{CustomerID: annID, Provider: "google", Subject: "g-1", EmailUnverified: true, LinkedAt: registerTime}
		customers.Given(registered(), unproven, token).When(on(customer.LoginWithToken, login)).
			Then(t, customer.IdentityUnlinked{CustomerID: annID, Provider: "google", Subject: "g-1", UnlinkedAt: now})
	})
}

func TestResetPassword(t *testing.T) {
	t.Parallel()
	token := issued(customer.PurposePasswordReset, "r1", now.Add(-time.Minute))
	reset := customer.PasswordReset{Email: " ANN@example.com", TokenHash: "r1", NewHash: "hash-2"}
	// spent at the very time the token was issued, so only the spending, not the date of the change, refuses it
	spent := customer.PasswordChanged{CustomerID: annID, PasswordHash: "hash-2", ResetTokenHash: "r1", ChangedAt: token.IssuedAt}
	cases := []struct {
		name  string
		given []customer.Event
		reset customer.PasswordReset
	}{
		{"rule 9: a spent token is refused", []customer.Event{registered(), token, spent}, reset},
		{"an expired token is refused", []customer.Event{registered(), issued(customer.PurposePasswordReset, "r1", now.Add(-24*time.Hour))}, reset},
		{"a forged token is refused", []customer.Event{registered(), token}, customer.PasswordReset{Email: "ann@example.com", TokenHash: "r2", NewHash: "h"}},
		{"the request must name the customer's email", []customer.Event{registered(), token}, customer.PasswordReset{Email: "bob@example.com", TokenHash: "r1", NewHash: "h"}},
		{"a token sent to an earlier email is refused", []customer.Event{registered(), token, emailChanged},
			customer.PasswordReset{Email: "ann@new.example", TokenHash: "r1", NewHash: "h"}},
		{"a passwordless token does not reset", []customer.Event{registered(), issued(customer.PurposePasswordless, "r1", now)}, reset},
		{"a password change makes older links useless", []customer.Event{registered(), token, issued(customer.PurposePasswordReset, "r0", now.Add(-time.Hour)),
			customer.PasswordChanged{CustomerID: annID, PasswordHash: "hash-x", ChangedAt: now.Add(-time.Second)}}, reset},
		{"an unknown customer gives the same answer", nil, reset},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			customers.Given(tc.given...).When(on(customer.ResetPassword, tc.reset)).ThenError(t, customer.ErrTokenInvalid)
		})
	}
	t.Run("a valid token sets the password and is spent by it", func(t *testing.T) {
		t.Parallel()
		customers.Given(registered(), token).When(on(customer.ResetPassword, reset)).
			Then(t, customer.PasswordChanged{CustomerID: annID, PasswordHash: "hash-2", ResetTokenHash: "r1", ChangedAt: now})
		if s := stateOf(registered(), token, spent); !s.Tokens[0].Used || s.PasswordHash != "hash-2" {
			t.Fatalf("after the reset: tokens %+v, hash %q", s.Tokens, s.PasswordHash)
		}
	})
	t.Run("a customer without a password gets one", func(t *testing.T) {
		t.Parallel()
		idpOnly := registered()
		idpOnly.PasswordHash = ""
		customers.Given(idpOnly, token).When(on(customer.ResetPassword, reset)).
			Then(t, customer.PasswordChanged{CustomerID: annID, PasswordHash: "hash-2", ResetTokenHash: "r1", ChangedAt: now})
	})
}

func TestVerifyEmail(t *testing.T) {
	t.Parallel()
	token := issued(customer.PurposeEmailVerification, "v1", now.Add(-time.Minute))
	verify := customer.EmailVerification{TokenHash: "v1"}
	verified := customer.EmailVerified{CustomerID: annID, Email: "ann@example.com", VerifiedAt: now}
	cases := []struct {
		name  string
		given []customer.Event
	}{
		{"rule 10: a token for an earlier email confirms nothing", []customer.Event{registered(), token, emailChanged}},
		{"an expired token is refused", []customer.Event{registered(), issued(customer.PurposeEmailVerification, "v1", now.Add(-24*time.Hour))}},
		{"a token of another purpose is refused", []customer.Event{registered(), issued(customer.PurposePasswordless, "v1", now)}},
		{"a forged token is refused even when the email is confirmed", []customer.Event{registered(), confirmed}},
		{"an unknown customer gives the same answer", nil},
		{"spec #16: a link confirms once", []customer.Event{registered(), token, verified}},
		// the confirmation by the link v0 (EmailVerified does not name it) spends v1 too
		{"the confirmation spends the other links sent to the email", []customer.Event{registered(), token,
			issued(customer.PurposeEmailVerification, "v0", now.Add(-time.Hour)), verified}},
		{"a spent link stays spent when the customer comes back to its email", []customer.Event{registered(), token, verified,
			emailChanged, customer.EmailChanged{CustomerID: annID, Email: "ann@example.com", ChangedAt: now}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			customers.Given(tc.given...).When(on(customer.VerifyEmail, verify)).ThenError(t, customer.ErrTokenInvalid)
		})
	}
	t.Run("a valid token confirms the current email", func(t *testing.T) {
		t.Parallel()
		customers.Given(registered(), token).When(on(customer.VerifyEmail, verify)).Then(t, verified)
		if s := stateOf(registered(), token, verified); !s.EmailConfirmed {
			t.Fatal("the email is not confirmed after EmailVerified")
		}
	})
	t.Run("the confirmation leaves the links of other purposes and emails alone", func(t *testing.T) {
		t.Parallel()
		elsewhere := issued(customer.PurposeEmailVerification, "v2", now)
		elsewhere.Email = "ann@new.example"
		s := stateOf(registered(), elsewhere, issued(customer.PurposePasswordReset, "r1", now), verified)
		for _, tok := range s.Tokens {
			if tok.Used {
				t.Fatalf("token %+v spent by the confirmation of ann@example.com", tok)
			}
		}
	})
	t.Run("a verification of an earlier email does not confirm the current one", func(t *testing.T) {
		t.Parallel()
		if s := stateOf(registered(), emailChanged, verified); s.EmailConfirmed {
			t.Fatal("EmailVerified of ann@example.com confirmed ann@new.example")
		}
	})
}
