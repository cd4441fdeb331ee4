package commands

import (
	"context"
	"errors"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
)

// Registration is POST /auth/register: the password is checked against the site's strength rule by the
// caller (it needs the site's setting) and hashed here.
type Registration struct {
	AccountID int64
	SiteID    int64
	Email     string
	Username  string
	Password  string
	Profile   customer.Profile
}

// Register creates a customer with a new id after claiming its email and username in the account
// (docs/customers.md). A retry of the same command finds the customer it created and answers as the first
// attempt did, instead of tripping over its own claim.
func (c Customers) Register(ctx context.Context, env Envelope, r Registration) (CustomerResult, error) {
	reg := customer.Registration{AccountID: r.AccountID, SiteID: r.SiteID, Email: r.Email, Username: r.Username,
		Profile: r.Profile, Method: customer.MethodPassword}
	if err := customer.RegistrationProblems(reg); len(err) > 0 {
		return CustomerResult{}, err
	}
	hash, err := c.Passwords.Hash(ctx, r.Password)
	if err != nil {
		return CustomerResult{}, err
	}
	reg.PasswordHash = hash
	// A retry must know the password: a command id alone (derived from a key the client chose) is no proof.
	proof := func(ctx context.Context, s customer.State) (bool, error) {
		return c.Passwords.Verify(ctx, r.Password, s.PasswordHash)
	}
	return c.register(ctx, env, reg, proof, func(customer.State, time.Time) ([]customer.Event, error) { return nil, nil })
}

// retryProof tells whether the sender of a retried registration is the one who made the customer it
// created (knows its password, signs in with its identity).
type retryProof func(ctx context.Context, s customer.State) (bool, error)

// register claims the registration's email and username for a new id and appends Registered, followed by
// whatever more decides on the new customer, in one append. A retry of a registration that landed answers
// with its customer only when proof holds.
func (c Customers) register(ctx context.Context, env Envelope, reg customer.Registration, proof retryProof,
	more func(customer.State, time.Time) ([]customer.Event, error)) (CustomerResult, error) {
	email := customer.NormaliseEmail(reg.Email)
	username := customer.NormaliseUsername(reg.Username)
	id, err := c.CustomerIDs.Next(ctx)
	if err != nil {
		return CustomerResult{}, err
	}
	reg.CustomerID = id
	env = actingAsThemselves(env, id)
	if err := c.claim(ctx, env, EmailScope, reg.AccountID, email, id); err != nil {
		return c.retried(ctx, env, EmailScope, reg.AccountID, email, proof, err)
	}
	if username != "" {
		if err := c.claim(ctx, env, UsernameScope, reg.AccountID, username, id); err != nil {
			if releaseErr := c.release(ctx, env, EmailScope, reg.AccountID, email, id); releaseErr != nil {
				return CustomerResult{}, errors.Join(err, releaseErr)
			}
			return c.retried(ctx, env, UsernameScope, reg.AccountID, username, proof, err)
		}
	}
	return c.handle(ctx, env, id, reg.AccountID, func(s customer.State, now time.Time) ([]customer.Event, error) {
		events, err := customer.Register(s, reg, now)
		return then(s, events, err, func(s customer.State) ([]customer.Event, error) { return more(s, now) })
	})
}

// retried answers a registration whose claim was refused: when the value's owner was created by this very
// command (a retried request) and the sender proves to be its maker, that customer is the answer; otherwise
// the refusal stands.
func (c Customers) retried(ctx context.Context, env Envelope, scope string, accountID int64, value string,
	proof retryProof, refusal error) (CustomerResult, error) {
	if !errors.Is(refusal, ErrEmailTaken) && !errors.Is(refusal, ErrUsernameTaken) {
		return CustomerResult{}, refusal
	}
	owner, found, err := c.Reservations.Owner(ctx, scope, accountID, value)
	if err != nil || !found {
		return CustomerResult{}, errors.Join(refusal, err)
	}
	h, err := load(ctx, c.Store, CustomerAggregate, customerStream(owner), env.CommandID)
	if err != nil {
		return CustomerResult{}, err
	}
	if h.landed == nil || h.state.AccountID != accountID {
		return CustomerResult{}, refusal
	}
	if proven, err := proof(ctx, h.state); err != nil || !proven {
		return CustomerResult{}, errors.Join(refusal, err)
	}
	return CustomerResult{CustomerID: owner, Result: *h.landed}, nil
}

// IdentitySignIn is POST /auth/idp/login once the provider's token was verified: who the provider says the
// customer is.
type IdentitySignIn struct {
	AccountID int64
	SiteID    int64
	Provider  string
	Subject   string
	Email     string
	// EmailVerified is the provider's word that the email belongs to this person; without it an existing
	// customer with the email is not signed in (that would hand their account to whoever typed the email
	// at the provider).
	EmailVerified bool
	// Profile is what the provider tells of the person (names, and its claims in Metadata).
	Profile customer.Profile
}

// SignInWithIdentity signs in the customer with the identity's email, linking the identity, or registers a
// new customer without a password. The provider's profile is kept in metadata under "idp_<provider>".
func (c Customers) SignInWithIdentity(ctx context.Context, env Envelope, in IdentitySignIn) (CustomerResult, error) {
	email := customer.NormaliseEmail(in.Email)
	if problems := customer.EmailProblems(email); len(problems) > 0 {
		return CustomerResult{}, problems
	}
	login := customer.Login{SiteID: in.SiteID, Method: customer.IdentityMethod(in.Provider)}
	link := func(s customer.State, now time.Time) ([]customer.Event, error) {
		events, err := customer.LinkIdentity(s, customer.Identity{Provider: in.Provider, Subject: in.Subject,
			EmailUnverified: !in.EmailVerified}, now)
		return then(s, events, err, func(s customer.State) ([]customer.Event, error) {
			return customer.ChangeProfile(s, customer.ProfileChange{Changes: customer.ProfilePatch{
				Metadata: map[string]any{customer.IdentityMetadataPrefix + in.Provider: in.Profile.Metadata}}}, now)
		})
	}
	owner, found, err := c.Reservations.Owner(ctx, EmailScope, in.AccountID, email)
	if err != nil {
		return CustomerResult{}, err
	}
	if found {
		existing, err := c.read(ctx, owner, in.AccountID)
		if err != nil {
			return CustomerResult{}, err
		}
		if existing.Exists() && existing.Email == email {
			if existing.Identities[in.Provider] != in.Subject && !in.EmailVerified {
				return CustomerResult{}, ErrEmailTaken
			}
			return c.signIn(ctx, env, owner, in.AccountID, login, link)
		}
	}
	profile := in.Profile
	profile.Metadata = nil
	reg := customer.Registration{AccountID: in.AccountID, SiteID: in.SiteID, Email: email, Profile: profile,
		Method: customer.IdentityMethod(in.Provider)}
	proof := func(_ context.Context, s customer.State) (bool, error) {
		return s.Identities[in.Provider] == in.Subject, nil
	}
	result, err := c.register(ctx, env, reg, proof, link)
	if err != nil {
		return result, err
	}
	return c.recordSignIn(ctx, env, result, login)
}
