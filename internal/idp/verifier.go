// Package idp verifies the ID tokens of the identity providers customers sign in with (POST
// /auth/idp/login, spec #4): Google, Facebook Limited Login and Auth0. A token is accepted only when it is
// signed (RS256 or ES256) by a key of the provider's published key set, names the provider as issuer and
// one of the site's ids at that provider as audience, and has not expired. Key sets are fetched with
// go-oidc's RemoteKeySet and cached; nothing else is fetched (no discovery round trip).
package idp

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
)

// Defaults of Config.
const (
	maxKeySetsDefault    = 64
	minKeyRefreshDefault = 10 * time.Second
	httpTimeoutDefault   = 10 * time.Second
	// maxTokenBytes bounds what is parsed at all; real ID tokens are 1–2 kB.
	maxTokenBytes = 16 << 10
)

// signingAlgorithms are the only algorithms accepted. Warning: never add "none" or an HMAC algorithm (HS*):
// an HMAC "signed" with a provider's public key would verify.
var signingAlgorithms = []string{oidc.RS256, oidc.ES256}

// Config configures a Verifier; the zero value uses the providers' public endpoints.
type Config struct {
	// Providers overrides the issuer and key set of Google and Facebook (tests serve their own keys);
	// missing entries keep DefaultProviders. Auth0's come from each site's Settings.
	Providers map[string]Provider
	// HTTPClient fetches the key sets; nil uses a client with a 10 s timeout. A client without a timeout
	// gets one: a key set fetch must never hang a login.
	HTTPClient *http.Client
	// MaxKeySets bounds the cached key sets (one per key set URL); 0 means 64.
	MaxKeySets int
	// MinKeyRefresh is the least time between two fetches of one key set; 0 means 10 s. A token signed
	// with a key not in the cached set is refused until then.
	MinKeyRefresh time.Duration
	// Now is the clock for expiry and refresh checks; nil means time.Now.
	Now func() time.Time
}

// Verifier checks provider ID tokens. It is safe for concurrent use; create one per process so the key
// sets are shared.
type Verifier struct {
	providers map[string]Provider
	keySets   *keySets
	now       func() time.Time
}

// New returns a Verifier configured by cfg.
func New(cfg Config) *Verifier {
	providers := DefaultProviders()
	for name, p := range cfg.Providers {
		if name != Auth0 {
			providers[name] = p
		}
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	client := &http.Client{Timeout: httpTimeoutDefault}
	if cfg.HTTPClient != nil {
		copied := *cfg.HTTPClient
		client = &copied
		if client.Timeout == 0 {
			client.Timeout = httpTimeoutDefault
		}
	}
	next := client.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	client.Transport = &throttledTransport{next: next, interval: orDefault(cfg.MinKeyRefresh, minKeyRefreshDefault),
		now: now, last: map[string]time.Time{}}
	return &Verifier{providers: providers, keySets: newKeySets(client, orDefault(cfg.MaxKeySets, maxKeySetsDefault)), now: now}
}

func orDefault[T comparable](value, fallback T) T {
	var zero T
	if value == zero {
		return fallback
	}
	return value
}

// Verify checks rawToken as an ID token of provider ("google", "facebook" or "auth0") for a site with
// settings, and returns who it identifies. Errors match ErrUnknownProvider, ErrProviderNotConfigured or
// ErrInvalidToken (errors.Is).
func (v *Verifier) Verify(ctx context.Context, provider string, settings Settings, rawToken string) (Identity, error) {
	want, err := v.expect(provider, settings)
	if err != nil {
		return Identity{}, err
	}
	if rawToken == "" || len(rawToken) > maxTokenBytes {
		return Identity{}, fmt.Errorf("%w: empty or larger than %d bytes", ErrInvalidToken, maxTokenBytes)
	}
	// The audience is checked below against every id of the site, so go-oidc's single-id check is off.
	verifier := oidc.NewVerifier(want.Issuer, v.keySets.get(want.JWKSURL), &oidc.Config{
		SkipClientIDCheck: true, SupportedSigningAlgs: signingAlgorithms, Now: v.now})
	token, err := verifier.Verify(ctx, rawToken)
	if err != nil {
		return Identity{}, fmt.Errorf("%w: %s: %v", ErrInvalidToken, provider, err)
	}
	if !slices.ContainsFunc(token.Audience, func(aud string) bool { return slices.Contains(want.audiences, aud) }) {
		return Identity{}, fmt.Errorf("%w: %s: audience %q is none of the site's ids", ErrInvalidToken, provider, token.Audience)
	}
	if token.Subject == "" {
		return Identity{}, fmt.Errorf("%w: %s: no subject", ErrInvalidToken, provider)
	}
	return identityOf(provider, token)
}
