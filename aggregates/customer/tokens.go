package customer

import (
	"slices"
	"time"
)

// TokensPerHour is how many one-time tokens of one purpose a customer may be sent within an hour (rule 8 and
// spec 1.9: passwordless 5 per hour per email, verification 5 per hour per customer; password reset alike).
const TokensPerHour = 5

// The sign-in methods this package writes into LoggedIn and Registered. Warning: they are stored in events
// and shown as the customer's last_login_method. Identity providers sign in as IdentityMethod(provider).
const (
	MethodPassword     = "password"
	MethodPasswordless = "passwordless"
)

// IdentityMethod is the sign-in method of an identity provider, e.g. "idp:google".
func IdentityMethod(provider string) string { return "idp:" + provider }

// TokenRequest asks for a one-time token to be mailed (spec #5, #7, #16). The caller draws Nonce, derives
// the token from it and its key, and hands in the token's hash and its expiry (which depends on the purpose
// and on site settings); the token goes to the customer's current email. Language is the request's
// language (spec 1.4: its own, else Accept-Language, else the site's default), which the mail is written in
// when the customer has no language stored.
type TokenRequest struct {
	SiteID    int64
	Purpose   Purpose
	Nonce     string
	TokenHash string
	ExpiresAt time.Time
	Language  string
}

// PasswordReset is POST /password/reset (spec #8): the token's hash, the email the request names, and the
// new password's hash (strength and confirmation checked by the caller).
type PasswordReset struct {
	Email     string
	TokenHash string
	NewHash   string
}

// TokenLogin is POST /auth/passwordless/login (spec #6) on a site.
type TokenLogin struct {
	SiteID    int64
	TokenHash string
}

// EmailVerification is POST /customer/email/verify (spec #17).
type EmailVerification struct {
	TokenHash string
}

// IssueToken records a one-time token sent to the customer's current email, to be written in the customer's
// language, else the request's (TokenRequest.Language). An email verification link for
// a confirmed email is refused (ErrAlreadyVerified, spec #16), and so is a sixth token of one purpose within
// an hour (a *ThrottledError, which is ErrThrottled and says when another may be sent).
func IssueToken(s State, c TokenRequest, now time.Time) ([]Event, error) {
	if !s.Exists() {
		return nil, ErrNotRegistered
	}
	if !slices.Contains([]Purpose{PurposePasswordless, PurposePasswordReset, PurposeEmailVerification}, c.Purpose) {
		return nil, ErrUnknownPurpose
	}
	if c.Purpose == PurposeEmailVerification && s.EmailConfirmed {
		return nil, ErrAlreadyVerified
	}
	var recent []time.Time
	for _, t := range s.Tokens {
		if t.Purpose == c.Purpose && now.Sub(t.IssuedAt) < time.Hour {
			recent = append(recent, t.IssuedAt)
		}
	}
	if len(recent) >= TokensPerHour {
		// Another may be sent once fewer than TokensPerHour remain within the hour: when the oldest of the
		// last TokensPerHour is an hour old.
		slices.SortFunc(recent, time.Time.Compare)
		return nil, &ThrottledError{RetryAfter: recent[len(recent)-TokensPerHour].Add(time.Hour).Sub(now)}
	}
	language := s.Profile.Language
	if language == "" {
		language = c.Language
	}
	return []Event{OneTimeTokenIssued{CustomerID: s.ID, SiteID: c.SiteID, Purpose: c.Purpose, Email: s.Email,
		Nonce: c.Nonce, TokenHash: c.TokenHash, ExpiresAt: c.ExpiresAt, IssuedAt: now, Language: language}}, nil
}

// ResetPassword sets a new password with a password-reset token (rule 9). The token must be one the customer
// was sent at their current email, which the request must name, unexpired and unspent, and issued after the
// last password change (a change makes older links useless). It is spent by the change. Every failure is
// ErrTokenInvalid, an unknown customer included.
func ResetPassword(s State, c PasswordReset, now time.Time) ([]Event, error) {
	token, ok := s.redeemable(PurposePasswordReset, c.TokenHash, now)
	if !ok || NormaliseEmail(c.Email) != s.Email || token.Used || token.IssuedAt.Before(s.PasswordUpdatedAt) {
		return nil, ErrTokenInvalid
	}
	return append([]Event{PasswordChanged{CustomerID: s.ID, PasswordHash: c.NewHash, ResetTokenHash: token.Hash,
		ChangedAt: now}}, dropUnprovenIdentities(s, now)...), nil
}

// LoginWithToken checks a passwordless token for a sign-in on the site it was asked on; such a token can be
// used again until it expires (rule 8), or until the password changes (a reset or an update): whoever
// secures the account with a new password revokes the links mailed before, as they revoke older reset
// links (ResetPassword) and every JWT (the customers read model's cutoff). It returns what the sign-in changes on the customer (the identities
// linked without proof of the email, which the mailed link proves, are unlinked); the sign-in itself is
// recorded apart (RecordLogin). Every failure is ErrTokenInvalid, an unknown customer included.
func LoginWithToken(s State, c TokenLogin, now time.Time) ([]Event, error) {
	token, ok := s.redeemable(PurposePasswordless, c.TokenHash, now)
	if !ok || token.SiteID != c.SiteID || token.IssuedAt.Before(s.PasswordUpdatedAt) {
		return nil, ErrTokenInvalid
	}
	return dropUnprovenIdentities(s, now), nil
}

// VerifyEmail confirms the customer's email with a verification token sent to that same email (rule 10);
// a token sent to an earlier email confirms nothing. A link is single use (spec #16): the confirmation spends
// it and every other link sent to the email (EmailVerified), so using one again, or another one afterwards,
// is refused like an unknown token. Every failure is ErrTokenInvalid, an unknown customer included.
func VerifyEmail(s State, c EmailVerification, now time.Time) ([]Event, error) {
	token, ok := s.redeemable(PurposeEmailVerification, c.TokenHash, now)
	if !ok || token.Used || s.EmailConfirmed {
		return nil, ErrTokenInvalid
	}
	return append([]Event{EmailVerified{CustomerID: s.ID, Email: s.Email, VerifiedAt: now}},
		dropUnprovenIdentities(s, now)...), nil
}

// redeemable finds the remembered token of that purpose and hash, if it was sent to the current email and has
// not expired at now. Whether a spent token still counts is the caller's rule.
func (s State) redeemable(purpose Purpose, hash string, now time.Time) (OneTimeToken, bool) {
	if !s.Exists() || hash == "" {
		return OneTimeToken{}, false
	}
	for _, t := range s.Tokens {
		if t.Purpose == purpose && t.Hash == hash && t.Email == s.Email && now.Before(t.ExpiresAt) {
			return t, true
		}
	}
	return OneTimeToken{}, false
}
