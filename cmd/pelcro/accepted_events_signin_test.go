package main

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"pgregory.net/rapid"

	"github.com/google/uuid"
	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/auth"
)

// The sign-in actions of the customer scenario (accepted_events_customers_test.go): identity providers,
// mailed links and following them, passwords, photos.

// recordingTokens is the real one-time token minting, remembering each customer's last token so the
// scenario can follow the mailed link.
type recordingTokens struct {
	auth.OneTimeTokens
	mu   sync.Mutex
	last map[int64]string
}

func (r *recordingTokens) Token(customerID int64, purpose, nonce string) string {
	token := r.OneTimeTokens.Token(customerID, purpose, nonce)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.last[customerID] = token
	return token
}

func (r *recordingTokens) lastOf(customerID int64) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.last[customerID]
}

func (s *customerScenario) signInWithIdentity(p *person) {
	t := s.w.t
	raw, kept := drawBoth(t, "provider's profile", customer.Profile{}, profileOK)
	provider := rapid.OneOf(rapid.SampledFrom([]string{"google", "facebook", "auth0"}), text()).Draw(t, "provider")
	subject := text().Draw(t, "subject")
	address := rapid.OneOf(rapid.Just(p.email), email()).Draw(t, "provider's email")
	for _, in := range []commands.IdentitySignIn{
		{Provider: provider, Subject: subject, Email: address, Profile: raw},
		{Provider: "google", Subject: strings.Map(printableOnly, subject), Email: s.acceptedEmail(address), Profile: kept},
	} {
		in.AccountID, in.SiteID, in.EmailVerified = s.account, s.site, rapid.Bool().Draw(t, "verified")
		if _, err := s.customers.SignInWithIdentity(t.Context(), s.env(), in); !s.w.refused("sign in with an identity", err, customerRefusals...) {
			return
		}
	}
}

// printableOnly drops the characters a single-line text may not hold.
func printableOnly(r rune) rune {
	if aggregates.TextFault(string(r), aggregates.SingleLine) != "" {
		return -1
	}
	return r
}

func (s *customerScenario) mailLink(p *person) {
	t := s.w.t
	var err error
	switch purpose := rapid.SampledFrom([]customer.Purpose{customer.PurposePasswordless, customer.PurposePasswordReset,
		customer.PurposeEmailVerification}).Draw(t, "purpose"); purpose {
	case customer.PurposeEmailVerification:
		_, err = s.customers.RequestVerification(t.Context(), s.env(), commands.VerificationRequest{Target: s.target(p), Lifetime: 7 * 24 * time.Hour})
	default:
		_, err = s.customers.RequestToken(t.Context(), s.env(), commands.MailedToken{AccountID: s.account, SiteID: s.site,
			Email: rapid.OneOf(rapid.Just(p.email), email()).Draw(t, "to"), Purpose: purpose,
			Lifetime: rapid.SampledFrom([]time.Duration{time.Hour, 90 * 24 * time.Hour}).Draw(t, "lifetime")})
	}
	s.w.refused("mail a link", err, customerRefusals...)
}

func (s *customerScenario) followLink(p *person) {
	t := s.w.t
	use := commands.TokenUse{AccountID: s.account, SiteID: s.site, Token: s.tokens.lastOf(p.id)}
	var err error
	switch rapid.IntRange(0, 2).Draw(t, "link") {
	case 0:
		_, err = s.customers.LoginWithToken(t.Context(), s.env(), use)
	case 1:
		_, err = s.customers.VerifyEmail(t.Context(), s.env(), use)
	default:
		secret := "Secret-" + printable.Draw(t, "new password")
		_, err = s.customers.ResetPassword(t.Context(), s.env(), commands.PasswordResetRequest{TokenUse: use, Email: p.email,
			Password: secret})
		if err == nil {
			p.secret = secret
		}
	}
	s.w.refused("follow a mailed link", err, customerRefusals...)
}

func (s *customerScenario) signIn(p *person) {
	t := s.w.t
	login := commands.Credentials{AccountID: s.account, SiteID: s.site, Email: p.email, Password: p.secret}
	if rapid.Bool().Draw(t, "by username") {
		login.Email, login.Username = "", p.username
	}
	_, err := s.customers.Login(t.Context(), s.env(), login)
	s.w.refused("sign in", err, customerRefusals...)
}

// signInRecordedInTheCustomerStream appends a sign-in to the customer's own stream, as versions before
// sign-in streams recorded them: logs written then must still project and rebuild, mixed with the records
// of sign-in streams.
func (s *customerScenario) signInRecordedInTheCustomerStream(p *person) {
	t := s.w.t
	stream := commands.CustomerAggregate.StreamPrefix + fmt.Sprint(p.id)
	last, err := s.w.deps.EventStore.ReadStream(t.Context(), stream, eventstore.Backwards, eventstore.StreamEnd(), 1)
	if err != nil {
		t.Fatalf("read %s: %v", stream, err)
	}
	encoded, err := customer.Events.Encode(customer.LoggedIn{CustomerID: p.id, SiteID: s.site,
		Method: rapid.SampledFrom([]string{customer.MethodPassword, customer.MethodPasswordless}).Draw(t, "method"), LoggedInAt: s.w.now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.deps.EventStore.Append(t.Context(), stream, eventstore.Exact(last[0].Revision), eventstore.EventData{
		ID: uuid.New(), Type: encoded.Name, Data: encoded.Data, Metadata: fmt.Appendf(nil, `{"schema_version":%d}`, encoded.SchemaVersion)}); err != nil {
		t.Fatalf("append an older version's sign-in to %s: %v", stream, err)
	}
}

func (s *customerScenario) changePassword(p *person) {
	t := s.w.t
	secret := "Secret-" + printable.Draw(t, "new password")
	_, err := s.customers.UpdatePassword(t.Context(), s.env(), commands.PasswordChange{Target: s.target(p),
		OldPassword: p.secret, NewPassword: secret})
	if !s.w.refused("change password", err, customerRefusals...) {
		p.secret = secret
	}
}

// photo sets a photo under a name as the media store makes them (never input), or removes it.
func (s *customerScenario) photo(p *person) {
	t := s.w.t
	var err error
	if rapid.Bool().Draw(t, "set") {
		_, _, err = s.customers.SetPicture(t.Context(), s.env(), s.target(p),
			fmt.Sprintf("%032x.png", rapid.Uint64().Draw(t, "photo name")))
	} else {
		_, _, err = s.customers.RemovePicture(t.Context(), s.env(), s.target(p))
	}
	s.w.refused("photo", err, customerRefusals...)
}

// erase erases the customer as `pelcro customers erase` does: the store shreds the key, so the customer's
// earlier events read without their personal fields from then on, live and in the rebuild.
func (s *customerScenario) erase(p *person) {
	_, err := s.customers.Erase(s.w.t.Context(), s.env(), p.id)
	s.w.refused("erase", err, customerRefusals...)
}
