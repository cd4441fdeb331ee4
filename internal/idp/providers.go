package idp

import (
	"fmt"
	"net/url"
	"strings"
)

// The provider names of POST /auth/idp/login (`idp_name`).
const (
	Google   = "google"
	Facebook = "facebook"
	Auth0    = "auth0"
)

// Provider is where a provider's ID tokens come from: the exact `iss` they carry and the JSON Web Key Set
// that holds the keys they are signed with.
type Provider struct {
	Issuer  string
	JWKSURL string
}

// DefaultProviders are the public endpoints of Google and of Facebook Limited Login. Auth0 has none: each
// site names its own tenant (Settings.Auth0BaseURL).
func DefaultProviders() map[string]Provider {
	return map[string]Provider{
		Google:   {Issuer: "https://accounts.google.com", JWKSURL: "https://www.googleapis.com/oauth2/v3/certs"},
		Facebook: {Issuer: "https://www.facebook.com", JWKSURL: "https://limited.facebook.com/.well-known/oauth/openid/jwks/"},
	}
}

// Settings are a site's ids at the providers (Site resource, spec 3.2); an empty value means unset.
type Settings struct {
	// GoogleClientIDs are the OAuth client ids (web, iOS, Android) a Google token's audience may name.
	GoogleClientIDs []string
	// FacebookAppID is the audience of a Facebook Limited Login token.
	FacebookAppID string
	// Auth0BaseURL is the tenant (https://example.auth0.com): the issuer, with a trailing slash, and the
	// base of its key set URL. Auth0ClientID is the audience. Both are needed.
	Auth0BaseURL  string
	Auth0ClientID string
}

// expectation is what a token must satisfy for one site and provider.
type expectation struct {
	Provider
	audiences []string
}

// expect returns what a token of provider must satisfy for a site with settings.
func (v *Verifier) expect(provider string, settings Settings) (expectation, error) {
	switch provider {
	case Google:
		ids := nonEmpty(settings.GoogleClientIDs)
		if len(ids) == 0 {
			return expectation{}, fmt.Errorf("%w: no google_app_id", ErrProviderNotConfigured)
		}
		return expectation{Provider: v.providers[Google], audiences: ids}, nil
	case Facebook:
		if settings.FacebookAppID == "" {
			return expectation{}, fmt.Errorf("%w: no facebook_app_id", ErrProviderNotConfigured)
		}
		return expectation{Provider: v.providers[Facebook], audiences: []string{settings.FacebookAppID}}, nil
	case Auth0:
		return auth0Expectation(settings)
	}
	return expectation{}, fmt.Errorf("%w: %q", ErrUnknownProvider, provider)
}

// auth0Expectation derives the tenant's issuer and key set from its base URL. Only https is accepted: keys
// fetched over plain http could be anyone's.
func auth0Expectation(settings Settings) (expectation, error) {
	if settings.Auth0BaseURL == "" || settings.Auth0ClientID == "" {
		return expectation{}, fmt.Errorf("%w: auth0_base_url and auth0_client_id are both needed", ErrProviderNotConfigured)
	}
	base, err := url.Parse(settings.Auth0BaseURL)
	if err != nil || base.Scheme != "https" || base.Host == "" || base.User != nil || base.RawQuery != "" || base.Fragment != "" {
		return expectation{}, fmt.Errorf("%w: auth0_base_url %q is not an https URL", ErrProviderNotConfigured, settings.Auth0BaseURL)
	}
	issuer := strings.TrimRight(base.String(), "/") + "/"
	return expectation{Provider: Provider{Issuer: issuer, JWKSURL: issuer + ".well-known/jwks.json"},
		audiences: []string{settings.Auth0ClientID}}, nil
}

func nonEmpty(values []string) []string {
	var out []string
	for _, v := range values {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}
