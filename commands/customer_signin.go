package commands

import (
	"context"
	"errors"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
)

func orInvalidCredentials(err error) error {
	if err != nil {
		return err
	}
	return ErrInvalidCredentials
}

// MailedToken asks for a one-time link to the customer with Email (passwordless login, spec #5, or
// password reset, spec #7), valid for Lifetime. Language is the request's, which the mail is written in
// when the customer has no language stored.
type MailedToken struct {
	AccountID int64
	SiteID    int64
	Email     string
	Purpose   customer.Purpose
	Lifetime  time.Duration
	Language  string
}

// RequestToken issues a one-time token to the customer with the email, which the mail outbox sends.
// ErrCustomerNotFound when the account has no such customer; customer.ErrThrottled past 5 an hour.
func (c Customers) RequestToken(ctx context.Context, env Envelope, in MailedToken) (CustomerResult, error) {
	s, err := c.owner(ctx, EmailScope, in.AccountID, customer.NormaliseEmail(in.Email))
	if err != nil {
		return CustomerResult{}, err
	}
	if !s.Exists() {
		return CustomerResult{}, ErrCustomerNotFound
	}
	return c.issue(ctx, env, Target{CustomerID: s.ID, AccountID: in.AccountID, SiteID: in.SiteID}, in.Purpose,
		in.Lifetime, in.Language)
}

// VerificationRequest asks for a link confirming the authenticated customer's email (spec #16), valid for
// Lifetime; Language is as for MailedToken.
type VerificationRequest struct {
	Target
	Lifetime time.Duration
	Language string
}

// RequestVerification mails the authenticated customer a link confirming their email (spec #16):
// customer.ErrAlreadyVerified when it is confirmed, customer.ErrThrottled past 5 an hour.
func (c Customers) RequestVerification(ctx context.Context, env Envelope, in VerificationRequest) (CustomerResult, error) {
	return c.issue(ctx, env, in.Target, customer.PurposeEmailVerification, in.Lifetime, in.Language)
}

// issue mints a token and records its hash.
func (c Customers) issue(ctx context.Context, env Envelope, t Target, purpose customer.Purpose, lifetime time.Duration,
	language string) (CustomerResult, error) {
	nonce, hash := c.mint(t.CustomerID, purpose)
	return c.handle(ctx, env, t.CustomerID, t.AccountID, func(s customer.State, now time.Time) ([]customer.Event, error) {
		return customer.IssueToken(s, customer.TokenRequest{SiteID: t.SiteID, Purpose: purpose, Nonce: nonce,
			TokenHash: hash, ExpiresAt: now.Add(lifetime), Language: language}, now)
	})
}

// mint draws a fresh nonce for a one-time token of the customer and returns it with the token's hash, which
// is all an event keeps of it (the mail outbox derives the token again from the nonce).
func (c Customers) mint(customerID int64, purpose customer.Purpose) (nonce, hash string) {
	nonce = c.Tokens.NewNonce()
	return nonce, c.Tokens.Hash(c.Tokens.Token(customerID, string(purpose), nonce))
}

// TokenUse redeems a mailed token on a site of an account.
type TokenUse struct {
	AccountID int64
	SiteID    int64
	Token     string
}

// LoginWithToken signs in with a passwordless token (spec #6): customer.ErrTokenInvalid for anything but a
// live passwordless token of this account issued on this site.
func (c Customers) LoginWithToken(ctx context.Context, env Envelope, in TokenUse) (CustomerResult, error) {
	result, err := c.redeem(ctx, env, in, func(s customer.State, hash string, now time.Time) ([]customer.Event, error) {
		return customer.LoginWithToken(s, customer.TokenLogin{SiteID: in.SiteID, TokenHash: hash}, now)
	})
	if err != nil {
		return result, err
	}
	return c.recordSignIn(ctx, env, result, customer.Login{SiteID: in.SiteID, Method: customer.MethodPasswordless})
}

// VerifyEmail confirms the email a verification token was sent to (spec #17): customer.ErrTokenInvalid for
// a dead token or one sent to an email the customer no longer has.
func (c Customers) VerifyEmail(ctx context.Context, env Envelope, in TokenUse) (CustomerResult, error) {
	return c.redeem(ctx, env, in, func(s customer.State, hash string, now time.Time) ([]customer.Event, error) {
		return customer.VerifyEmail(s, customer.EmailVerification{TokenHash: hash}, now)
	})
}

// PasswordResetRequest is POST /password/reset, the new password already checked against the site's rules.
type PasswordResetRequest struct {
	TokenUse
	Email    string
	Password string
}

// ResetPassword sets a new password with a reset token (spec #8): customer.ErrTokenInvalid for a dead,
// spent or forged token, or one that is not for Email.
func (c Customers) ResetPassword(ctx context.Context, env Envelope, in PasswordResetRequest) (CustomerResult, error) {
	if _, err := c.Tokens.CustomerOf(in.Token); err != nil {
		return CustomerResult{}, customer.ErrTokenInvalid
	}
	hash, err := c.Passwords.Hash(ctx, in.Password)
	if err != nil {
		return CustomerResult{}, err
	}
	return c.redeem(ctx, env, in.TokenUse, func(s customer.State, tokenHash string, now time.Time) ([]customer.Event, error) {
		return customer.ResetPassword(s, customer.PasswordReset{Email: in.Email, TokenHash: tokenHash, NewHash: hash}, now)
	})
}

// redeem runs decide on the customer a token names, with the token's hash. Anything wrong with the token,
// including a customer of another account, is customer.ErrTokenInvalid.
func (c Customers) redeem(ctx context.Context, env Envelope, in TokenUse,
	decide func(customer.State, string, time.Time) ([]customer.Event, error)) (CustomerResult, error) {
	id, err := c.Tokens.CustomerOf(in.Token)
	if err != nil {
		return CustomerResult{}, customer.ErrTokenInvalid
	}
	hash := c.Tokens.Hash(in.Token)
	env = actingAsThemselves(env, id)
	// The token is part of the command's identity: a command id alone (derived from a key the client chose)
	// must never replay another request's redemption, which would skip the token check.
	env = step(env, hash)
	decided := false
	result, err := c.handle(ctx, env, id, in.AccountID, func(s customer.State, now time.Time) ([]customer.Event, error) {
		decided = true
		if !s.Exists() {
			return nil, customer.ErrTokenInvalid
		}
		return decide(s, hash, now)
	})
	if errors.Is(err, customer.ErrNotRegistered) {
		return CustomerResult{}, customer.ErrTokenInvalid
	}
	if err == nil && !decided {
		// A retry of a redemption that landed: the token must still be good now, or a spent or expired
		// token replayed under its command id would pass.
		s, readErr := c.read(ctx, id, in.AccountID)
		if readErr != nil {
			return CustomerResult{}, readErr
		}
		if _, err := decide(s, hash, c.now()); err != nil || !s.Exists() {
			return CustomerResult{}, customer.ErrTokenInvalid
		}
	}
	return result, err
}
