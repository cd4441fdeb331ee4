package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"github.com/pelcro-oss/pelcro-api/internal/idempotency"
	"github.com/pelcro-oss/pelcro-api/internal/idp"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// CustomerCommands runs the customer writes (commands.Customers).
type CustomerCommands interface {
	Register(ctx context.Context, env commands.Envelope, r commands.Registration) (commands.CustomerResult, error)
	Login(ctx context.Context, env commands.Envelope, in commands.Credentials) (commands.CustomerResult, error)
	SignInWithIdentity(ctx context.Context, env commands.Envelope, in commands.IdentitySignIn) (commands.CustomerResult, error)
	RequestToken(ctx context.Context, env commands.Envelope, in commands.MailedToken) (commands.CustomerResult, error)
	RequestVerification(ctx context.Context, env commands.Envelope, in commands.VerificationRequest) (commands.CustomerResult, error)
	LoginWithToken(ctx context.Context, env commands.Envelope, in commands.TokenUse) (commands.CustomerResult, error)
	VerifyEmail(ctx context.Context, env commands.Envelope, in commands.TokenUse) (commands.CustomerResult, error)
	ResetPassword(ctx context.Context, env commands.Envelope, in commands.PasswordResetRequest) (commands.CustomerResult, error)
	UpdateProfile(ctx context.Context, env commands.Envelope, in commands.ProfileUpdate) (commands.CustomerResult, error)
	UpdatePassword(ctx context.Context, env commands.Envelope, in commands.PasswordChange) (commands.CustomerResult, error)
	SetPicture(ctx context.Context, env commands.Envelope, t commands.Target, file string) (commands.CustomerResult, string, error)
	RemovePicture(ctx context.Context, env commands.Envelope, t commands.Target) (commands.CustomerResult, string, error)
	AddAddress(ctx context.Context, env commands.Envelope, in commands.NewAddress) (commands.CustomerResult, int64, error)
	UpdateAddress(ctx context.Context, env commands.Envelope, in commands.AddressUpdate) (commands.CustomerResult, error)
}

// CustomerQueries reads the Customer resource (queries.Customers): queries.ErrNotFound when there is none.
type CustomerQueries interface {
	Customer(ctx context.Context, id int64) (queries.Customer, error)
}

// CustomerTokens issues and revokes the customers' JWTs (internal/auth, wired by cmd/pelcro); it also
// checks them for requireCustomer.
type CustomerTokens interface {
	CustomerAuthenticator
	Issue(ctx context.Context, customerID, accountID int64, ttl time.Duration) (string, error)
	// Revoke makes the token unusable on every API instance until it would have expired. It returns
	// ErrTokenRevoked when the token was revoked already: of concurrent requests presenting one token, only
	// the one whose Revoke succeeded may go on (refresh must not fork a token into several).
	Revoke(ctx context.Context, p Principal) error
}

// IdentityVerifier checks an identity provider's ID token for a site (internal/idp.Verifier).
type IdentityVerifier interface {
	Verify(ctx context.Context, provider string, settings idp.Settings, rawToken string) (idp.Identity, error)
}

// PhotoStore keeps uploaded profile photos (internal/media.Photos).
type PhotoStore interface {
	Save(upload io.Reader) (string, error)
	Remove(name string) error
	URL(base, name string) string
}

// customerHandlers serve spec 2.1, 2.2 (#10–#12, #16–#19) and 2.8.
type customerHandlers struct {
	deps Dependencies
}

// tokenMode says what a Customer answer carries in auth_token/token.
type tokenMode int

const (
	freshToken tokenMode = iota // a new JWT (register, login, most mutations)
	sameToken                   // the token the request came with (POST /customer)
	noToken                     // none (logout, public email verification)
)

// answer waits until the customers read model reflects the command's result, then answers 200 with the
// Customer resource and the token the mode asks for.
func (h customerHandlers) answer(w http.ResponseWriter, r *http.Request, result commands.CustomerResult,
	mode tokenMode, meta any) {
	if !h.caughtUp(w, r, result) {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), readModelWaitLimit)
	defer cancel()
	c, err := h.deps.CustomerQueries.Customer(ctx, result.CustomerID)
	if errors.Is(err, queries.ErrNotFound) {
		// Only a token can name a customer the read model does not have: one that was never registered here.
		writeError(w, r, http.StatusUnauthorized, i18n.TokenInvalid)
		return
	}
	if err != nil {
		internalError(w, r, h.deps.Logger, "reading customer "+strconv.FormatInt(result.CustomerID, 10), err)
		return
	}
	body := customerBody{Customer: c}
	if c.ProfilePhoto != "" && h.deps.Photos != nil {
		url := h.deps.Photos.URL(publicBase(r, h.deps.PublicURL), c.ProfilePhoto)
		body.ProfilePhoto = &url
	}
	switch mode {
	case freshToken:
		site, ok := h.site(w, r)
		if !ok {
			return
		}
		token, err := h.deps.CustomerTokens.Issue(ctx, result.CustomerID, c.AccountID, tokenLifetime(site))
		if err != nil {
			internalError(w, r, h.deps.Logger, "issuing a customer token", err)
			return
		}
		body.AuthToken, body.Token = &token, &token
	case sameToken:
		if p, ok := requestPrincipal(r); ok {
			body.AuthToken, body.Token = &p.Token, &p.Token
		}
	}
	stateOf(r).subject = idempotency.CustomerSubject(result.CustomerID)
	writeJSON(w, http.StatusOK, customerEnvelope{Data: body, Meta: meta})
}

// caughtUp waits until the customers read model reflects the command's result, so whatever the client does
// next sees it (the token cutoff of a password reset included); when it cannot, it has answered 503 (see
// awaitWrite).
func (h customerHandlers) caughtUp(w http.ResponseWriter, r *http.Request, result commands.CustomerResult) bool {
	return awaitWrite(w, r, h.deps.Logger, h.deps.WaitForCustomers, result.Written())
}

// customerBody is the Customer resource of spec 3.1 as answered: the read model's fields, the photo as a
// URL, and the token(s) when the endpoint gives one.
type customerBody struct {
	queries.Customer
	ProfilePhoto *string `json:"profile_photo"`
	AuthToken    *string `json:"auth_token,omitempty"`
	Token        *string `json:"token,omitempty"`
}

// customerEnvelope is {"data": Customer} plus, for POST /address, the "meta" block (spec 1.6).
type customerEnvelope struct {
	Data customerBody `json:"data"`
	Meta any          `json:"meta,omitempty"`
}

// tokenLifetime is the site's auth_token_ttl_days (1–365), the default when unset.
func tokenLifetime(site queries.Site) time.Duration {
	return time.Duration(catalog.EffectiveAuthTokenTTLDays(site.AuthTokenTTLDays)) * 24 * time.Hour
}

// site returns the request's site with its settings; on failure it has answered 500.
func (h customerHandlers) site(w http.ResponseWriter, r *http.Request) (queries.Site, bool) {
	info, _ := requestSite(r)
	site, err := h.deps.Catalog.Site(r.Context(), info.ID)
	if err != nil {
		internalError(w, r, h.deps.Logger, "reading the site's settings", err)
		return queries.Site{}, false
	}
	return site, true
}

// target is the authenticated customer, in the account and site of the request.
func target(r *http.Request) commands.Target {
	p, _ := requestPrincipal(r)
	site, _ := requestSite(r)
	return commands.Target{CustomerID: p.CustomerID, AccountID: site.AccountID, SiteID: site.ID}
}

// publicBase is the API's public origin for URLs given to clients: the configured one, or the request's.
func publicBase(r *http.Request, configured string) string {
	if configured != "" {
		return configured
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
