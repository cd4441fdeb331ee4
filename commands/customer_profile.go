package commands

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
)

// ProfileUpdate is PUT /customer (spec #11): nil Email or Username keep them; Changes patches the profile.
type ProfileUpdate struct {
	Target
	Email    *string
	Username *string
	Changes  customer.ProfilePatch
	// VerifyNewEmail is the site's setting of rule 10: a changed email is then sent a verification link,
	// valid VerificationLifetime, recorded in the same append as the change.
	VerifyNewEmail       bool
	VerificationLifetime time.Duration
	// MailLanguage is the request's language, which the link's mail is written in when the customer has no
	// language stored (after the update: a language the update sets is the one).
	MailLanguage string
}

// UpdateProfile changes what the update names, all or nothing: every input problem is reported before
// anything is written; a new email or username is claimed first, then every change is appended at once
// (with the verification link of a changed email when the site verifies emails), then the old claims are
// released (docs/customers.md). A refused claim changes nothing.
//
// The customer's stream is loaded once: the first attempt decides on the state the checks and claims saw.
func (c Customers) UpdateProfile(ctx context.Context, env Envelope, in ProfileUpdate) (CustomerResult, error) {
	h, err := c.loadForUpdate(ctx, env, in)
	if err != nil {
		return CustomerResult{}, err
	}
	s := h.state
	if !s.Exists() || s.AccountID != in.AccountID {
		return CustomerResult{}, customer.ErrNotRegistered
	}
	if problems := updateProblems(s, in); len(problems) > 0 {
		return CustomerResult{}, problems
	}
	moves := claimMoves(s, in)
	for i, m := range moves {
		if m.to == "" {
			continue
		}
		if err := c.claim(ctx, env, m.scope, in.AccountID, m.to, in.CustomerID); err != nil {
			return CustomerResult{}, errors.Join(err, c.releaseUnheld(ctx, env, in.Target, moves[:i], func(m claimMove) string { return m.to }))
		}
	}
	link := c.emailVerification(in)
	result, err := c.handleLoaded(ctx, env, in.CustomerID, in.AccountID, &h, func(s customer.State, now time.Time) ([]customer.Event, error) {
		// The profile first, so the verification link of a new email is mailed in the language the update sets.
		events, err := customer.ChangeProfile(s, customer.ProfileChange{Changes: in.Changes}, now)
		if in.Email != nil {
			events, err = then(s, events, err, func(s customer.State) ([]customer.Event, error) {
				return customer.ChangeEmail(s, customer.EmailChange{Email: *in.Email, Verification: link(now)}, now)
			})
		}
		if in.Username != nil {
			events, err = then(s, events, err, func(s customer.State) ([]customer.Event, error) {
				return customer.ChangeUsername(s, customer.UsernameChange{Username: *in.Username}, now)
			})
		}
		return events, err
	})
	if err != nil {
		return result, errors.Join(err, c.releaseUnheld(ctx, env, in.Target, moves, func(m claimMove) string { return m.to }))
	}
	return result, c.releaseUnheld(ctx, env, in.Target, moves, func(m claimMove) string { return m.from })
}

// loadForUpdate is the customer's history an update decides on: the state cache alone when the command may
// decide on it (Envelope.decidesOnCache), the update changes neither email nor username and the cached
// state accepts it; else the stream read. Only the append checks a cached state (it expects its revision,
// and the pipeline decides again on the log when it finds the stream moved on), so whatever is decided
// before the append on the customer's state — a refusal, which claims and releases a new email or
// username needs — is decided on the log. The claims themselves are commands on streams of their own and,
// like any command with a drawn id, may decide their first attempt on the cache, their append checking it.
func (c Customers) loadForUpdate(ctx context.Context, env Envelope, in ProfileUpdate) (history[customer.State], error) {
	stream := customerStream(in.CustomerID)
	if in.Email == nil && in.Username == nil {
		h, err := loadFirst(ctx, c.Store, CustomerAggregate, stream, env)
		if err != nil || !h.unread {
			return h, err
		}
		if s := h.state; s.Exists() && s.AccountID == in.AccountID && len(updateProblems(s, in)) == 0 {
			return h, nil
		}
	}
	return load(ctx, c.Store, CustomerAggregate, stream, env.CommandID)
}

// updateProblems is every rule the update breaks on the customer s, all at once.
func updateProblems(s customer.State, in ProfileUpdate) customer.Problems {
	var problems customer.Problems
	if in.Email != nil {
		problems = append(problems, customer.EmailProblems(customer.NormaliseEmail(*in.Email))...)
	}
	if in.Username != nil {
		problems = append(problems, customer.UsernameProblems(strings.TrimSpace(*in.Username))...)
	}
	return append(problems, customer.NormaliseProfile(in.Changes.ApplyTo(s.Profile)).Problems()...)
}

// emailVerification is the verification link the update asks for a changed email at a given time, nil when
// it asks for none. The token is minted once, so every attempt of the command records the same one.
func (c Customers) emailVerification(in ProfileUpdate) func(now time.Time) *customer.TokenRequest {
	if in.Email == nil || !in.VerifyNewEmail {
		return func(time.Time) *customer.TokenRequest { return nil }
	}
	nonce, hash := c.mint(in.CustomerID, customer.PurposeEmailVerification)
	return func(now time.Time) *customer.TokenRequest {
		return &customer.TokenRequest{SiteID: in.SiteID, Purpose: customer.PurposeEmailVerification, Nonce: nonce,
			TokenHash: hash, ExpiresAt: now.Add(in.VerificationLifetime), Language: in.MailLanguage}
	}
}

// step is env for one of several appends a command makes to the same stream: each step needs its own
// command id, or the second would be taken for a retry of the first and skipped.
func step(env Envelope, name string) Envelope {
	if env.CorrelationID == "" {
		env.CorrelationID = env.CommandID
	}
	env.CommandID += ":" + name
	return env
}

// PasswordChange is POST /password/update, the new password already checked against the site's rules.
type PasswordChange struct {
	Target
	OldPassword string
	NewPassword string
}

// UpdatePassword replaces the password when the old one matches and the new one differs (rule 9):
// customer.ErrWrongPassword, customer.ErrSamePassword otherwise.
func (c Customers) UpdatePassword(ctx context.Context, env Envelope, in PasswordChange) (CustomerResult, error) {
	s, err := c.read(ctx, in.CustomerID, in.AccountID)
	if err != nil {
		return CustomerResult{}, err
	}
	var oldMatches, same bool
	if s.PasswordHash != "" {
		if oldMatches, err = c.Passwords.Verify(ctx, in.OldPassword, s.PasswordHash); err != nil {
			return CustomerResult{}, err
		}
		if same, err = c.Passwords.Verify(ctx, in.NewPassword, s.PasswordHash); err != nil {
			return CustomerResult{}, err
		}
	}
	hash, err := c.Passwords.Hash(ctx, in.NewPassword)
	if err != nil {
		return CustomerResult{}, err
	}
	checked := s.PasswordHash
	return c.handle(ctx, env, in.CustomerID, in.AccountID, func(s customer.State, now time.Time) ([]customer.Event, error) {
		// A password changed since it was checked makes the check void: the old password no longer counts.
		return customer.UpdatePassword(s, customer.PasswordUpdate{NewHash: hash,
			OldPasswordMatches: oldMatches && s.PasswordHash == checked, NewSameAsOld: same}, now)
	})
}

// SetPicture records a stored photo as the customer's picture and returns the file no longer referenced
// ("" if none), for the caller to delete once the change is safely stored: the photo it replaced or, when
// this command had already landed (a retried request), the file of this attempt, which nothing names.
func (c Customers) SetPicture(ctx context.Context, env Envelope, t Target, file string) (CustomerResult, string, error) {
	previous, decided := "", false
	result, err := c.handle(ctx, env, t.CustomerID, t.AccountID, func(s customer.State, now time.Time) ([]customer.Event, error) {
		previous, decided = s.Picture, true
		return customer.SetPicture(s, customer.PictureUpload{File: file}, now)
	})
	if err == nil && !decided {
		previous = file
	}
	return result, previous, err
}

// RemovePicture clears the customer's picture and returns the file it named ("" if none).
func (c Customers) RemovePicture(ctx context.Context, env Envelope, t Target) (CustomerResult, string, error) {
	var previous string
	result, err := c.handle(ctx, env, t.CustomerID, t.AccountID, func(s customer.State, now time.Time) ([]customer.Event, error) {
		previous = s.Picture
		return customer.RemovePicture(s, now)
	})
	return result, previous, err
}
