package commands

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
)

// LoginThrottle is the login lockout of rule 7 (internal/auth.LoginThrottle), shared by every API instance:
// failed sign-ins per account and subject within a window. An attempt counts as a failure from Attempt on,
// before the password is checked, until Succeed clears the subject's count, so a burst of concurrent guesses
// gets no more than the limit through.
type LoginThrottle interface {
	// Attempt counts one attempt and reports whether it may go ahead, and when it may not, how long until
	// one may.
	Attempt(ctx context.Context, account int64, subject string) (allowed bool, retryAfter time.Duration, err error)
	Succeed(ctx context.Context, account int64, subject string) error
}

// ErrTooManyLoginAttempts: the login is locked after repeated failures (rule 7). Login returns it as a
// *LockedError, which says when the lock opens.
var ErrTooManyLoginAttempts = errors.New("commands: too many failed login attempts")

// LockedError is the ErrTooManyLoginAttempts of a login, with how long until an attempt may go ahead again
// (the HTTP answer's Retry-After). errors.Is(err, ErrTooManyLoginAttempts) holds for it.
type LockedError struct {
	RetryAfter time.Duration
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("%v: try again in %v", ErrTooManyLoginAttempts, e.RetryAfter)
}

// Is makes errors.Is(err, ErrTooManyLoginAttempts) true.
func (e *LockedError) Is(target error) bool { return target == ErrTooManyLoginAttempts }

// Credentials are POST /auth/login: the password and either the email or the username.
type Credentials struct {
	AccountID int64
	SiteID    int64
	Email     string
	Username  string
	Password  string
}

// Login signs a customer in with a password. Unknown email, unknown username, a customer without a
// password and a wrong password all give ErrInvalidCredentials after the same amount of hashing (rule 6).
// The customer is found through the reservation streams, not a read model, so a customer can sign in
// right after registering.
//
// Every attempt counts towards the lockout of its subject (lockoutSubject), known or not:
// ErrTooManyLoginAttempts once it is locked. Until the throttle says yes, Login reads nothing but the
// reservation stream, which costs the same whether the value is held or not: a locked answer tells nothing
// about the identifier either.
func (c Customers) Login(ctx context.Context, env Envelope, in Credentials) (CustomerResult, error) {
	scope, value := EmailScope, customer.NormaliseEmail(in.Email)
	if value == "" {
		scope, value = UsernameScope, customer.NormaliseUsername(in.Username)
	}
	holder, err := c.holder(ctx, scope, in.AccountID, value)
	if err != nil {
		return CustomerResult{}, err
	}
	subject := lockoutSubject(scope, value, holder)
	allowed, retryAfter, err := c.Throttle.Attempt(ctx, in.AccountID, subject)
	if err != nil {
		return CustomerResult{}, err
	}
	if !allowed {
		return CustomerResult{}, &LockedError{RetryAfter: retryAfter}
	}
	var s customer.State
	if holder != 0 {
		if s, err = c.holding(ctx, holder, scope, in.AccountID, value); err != nil {
			return CustomerResult{}, err
		}
	}
	result, err := c.passwordSignIn(ctx, env, in, s)
	if err != nil {
		return CustomerResult{}, err
	}
	if err := c.Throttle.Succeed(ctx, in.AccountID, subject); err != nil {
		return CustomerResult{}, err
	}
	return result, nil
}

// lockoutSubject is what the lockout counts the failures of: the customer holding the email or username,
// so that guesses by email and by username add up to one limit per account; for a value nobody holds, the
// value itself, so that an unknown email or username locks after exactly as many guesses as a known one.
func lockoutSubject(scope, value string, holder int64) string {
	if holder != 0 {
		return "customer:" + strconv.FormatInt(holder, 10)
	}
	return scope + ":" + value
}

// passwordSignIn checks the password of s (the zero State when nobody holds the login) and signs the
// customer in, upgrading the password's hash when its parameters are weaker than the current ones.
func (c Customers) passwordSignIn(ctx context.Context, env Envelope, in Credentials, s customer.State) (CustomerResult, error) {
	if s.PasswordHash == "" {
		if err := c.Passwords.VerifyDummy(ctx, in.Password); err != nil {
			return CustomerResult{}, err
		}
		return CustomerResult{}, ErrInvalidCredentials
	}
	ok, err := c.Passwords.Verify(ctx, in.Password, s.PasswordHash)
	if err != nil || !ok {
		return CustomerResult{}, orInvalidCredentials(err)
	}
	// Parameters raised since the password was hashed: the password is known now, so hash it again.
	rehash := customer.Rehash{Verified: s.PasswordHash}
	if c.Passwords.NeedsRehash(s.PasswordHash) {
		if rehash.NewHash, err = c.Passwords.Hash(ctx, in.Password); err != nil {
			return CustomerResult{}, err
		}
	}
	login := customer.Login{SiteID: in.SiteID, Method: customer.MethodPassword}
	return c.signIn(ctx, env, s.ID, in.AccountID, login, func(s customer.State, now time.Time) ([]customer.Event, error) {
		return customer.RehashPassword(s, rehash, now)
	})
}
