package idp_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/idp"
)

const googleIssuer, facebookIssuer = "https://accounts.google.test", "https://www.facebook.test"

// Keys are generated once: RSA generation is slow and the keys are never modified.
var (
	rsaKey    = sync.OnceValue(func() signingKey { return newRSAKey(&testing.T{}, "rsa-1") })
	rsaKey2   = sync.OnceValue(func() signingKey { return newRSAKey(&testing.T{}, "rsa-2") })
	ecKey     = sync.OnceValue(func() signingKey { return newECKey(&testing.T{}, "ec-1") })
	strangers = sync.OnceValue(func() signingKey { return newRSAKey(&testing.T{}, "stranger") })
)

// env is a verifier whose Google and Facebook live on a local TLS key server, as does the site's Auth0
// tenant, with a settable clock.
type env struct {
	verifier *idp.Verifier
	server   *jwksServer
	clock    *clock
	settings idp.Settings
}

func newEnv(t *testing.T) *env {
	t.Helper()
	server := newJWKSServer(t, rsaKey(), ecKey())
	c := &clock{now: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)}
	v := idp.New(idp.Config{
		Providers: map[string]idp.Provider{
			idp.Google:   {Issuer: googleIssuer, JWKSURL: server.URL + "/oauth2/v3/certs"},
			idp.Facebook: {Issuer: facebookIssuer, JWKSURL: server.URL + "/.well-known/oauth/openid/jwks/"},
		},
		HTTPClient: server.Client(), Now: c.Now,
	})
	return &env{verifier: v, server: server, clock: c, settings: idp.Settings{
		GoogleClientIDs: []string{"web-id", "", "android-id"}, FacebookAppID: "fb-app",
		Auth0BaseURL: server.URL, Auth0ClientID: "auth0-client"}}
}

// claims are valid claims of issuer for audience at the env's clock.
func (e *env) claims(issuer string, audience any) map[string]any {
	now := e.clock.Now()
	return map[string]any{"iss": issuer, "aud": audience, "sub": "user-42", "iat": now.Unix(),
		"exp": now.Add(time.Hour).Unix(), "email": "ada@example.com", "email_verified": true,
		"given_name": "Ada", "family_name": "Lovelace", "name": "Ada Lovelace", "picture": "https://example.com/ada.png"}
}

func with(claims map[string]any, changes map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range claims {
		out[k] = v
	}
	for k, v := range changes {
		if v == nil {
			delete(out, k)
			continue
		}
		out[k] = v
	}
	return out
}

func TestVerifyAcceptsGenuineTokens(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	auth0Issuer := e.server.URL + "/"
	withSlash := e.settings
	withSlash.Auth0BaseURL = e.server.URL + "/"
	tests := []struct {
		name      string
		provider  string
		settings  idp.Settings
		token     string
		wantEmail bool
	}{
		{"google, RS256, web client", idp.Google, e.settings, rsaKey().sign(t, e.claims(googleIssuer, "web-id")), true},
		{"google, ES256, android client among audiences", idp.Google, e.settings,
			ecKey().sign(t, e.claims(googleIssuer, []string{"other", "android-id"})), true},
		{"facebook limited login", idp.Facebook, e.settings,
			rsaKey().sign(t, with(e.claims(facebookIssuer, "fb-app"), map[string]any{"email_verified": nil})), false},
		{"auth0, base URL without a slash", idp.Auth0, e.settings, rsaKey().sign(t, e.claims(auth0Issuer, "auth0-client")), true},
		{"auth0, base URL with a slash", idp.Auth0, withSlash, rsaKey().sign(t, e.claims(auth0Issuer, "auth0-client")), true},
		{"email_verified as a string", idp.Google, e.settings,
			rsaKey().sign(t, with(e.claims(googleIssuer, "web-id"), map[string]any{"email_verified": "true"})), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// When a genuine token of the provider for this site is verified
			id, err := e.verifier.Verify(context.Background(), tt.provider, tt.settings, tt.token)
			// Then it identifies its subject with its profile
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if id.Provider != tt.provider || id.Subject != "user-42" || id.Email != "ada@example.com" ||
				id.EmailVerified != tt.wantEmail || id.FirstName != "Ada" || id.LastName != "Lovelace" ||
				id.Name != "Ada Lovelace" || id.Picture != "https://example.com/ada.png" || id.Claims["sub"] != "user-42" {
				t.Fatalf("identity = %+v", id)
			}
		})
	}
}

func TestVerifyRefusesForgedAndMisdirectedTokens(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	good := e.claims(googleIssuer, "web-id")
	tests := []struct {
		name     string
		provider string
		token    string
	}{
		{"another site's audience", idp.Google, rsaKey().sign(t, e.claims(googleIssuer, "someone-else"))},
		{"another issuer", idp.Google, rsaKey().sign(t, e.claims("https://evil.test", "web-id"))},
		{"a google token presented as facebook", idp.Facebook, rsaKey().sign(t, e.claims(googleIssuer, "fb-app"))},
		{"expired", idp.Google, rsaKey().sign(t, with(good, map[string]any{"exp": e.clock.Now().Add(-time.Second).Unix()}))},
		{"no expiry", idp.Google, rsaKey().sign(t, with(good, map[string]any{"exp": nil}))},
		{"no subject", idp.Google, rsaKey().sign(t, with(good, map[string]any{"sub": nil}))},
		{"tampered payload", idp.Google, tamper(t, rsaKey().sign(t, good), with(good, map[string]any{"sub": "admin"}))},
		{"alg none", idp.Google, unsigned(good)},
		{"HS256 keyed with the public key", idp.Google, hmacWithPublicKey(t, rsaKey(), good)},
		{"unknown key id", idp.Google, strangers().sign(t, good)},
		{"not a JWT", idp.Google, "not.a.token"},
		{"empty", idp.Google, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// When a token that is not a genuine one for this site is verified
			id, err := e.verifier.Verify(context.Background(), tt.provider, e.settings, tt.token)
			t.Log(err)
			// Then it is refused as an invalid token
			if !errors.Is(err, idp.ErrInvalidToken) {
				t.Fatalf("Verify = %+v, %v; want ErrInvalidToken", id, err)
			}
		})
	}
}

func TestVerifyNeedsTheSiteToUseTheProvider(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	token := rsaKey().sign(t, e.claims(googleIssuer, "web-id"))
	httpTenant := e.settings
	httpTenant.Auth0BaseURL = "http://example.auth0.com"
	noClient := e.settings
	noClient.Auth0ClientID = ""
	tests := []struct {
		name     string
		provider string
		settings idp.Settings
		wantErr  error
	}{
		{"google without client ids", idp.Google, idp.Settings{GoogleClientIDs: []string{""}, FacebookAppID: "fb-app"}, idp.ErrProviderNotConfigured},
		{"facebook without an app id", idp.Facebook, idp.Settings{GoogleClientIDs: []string{"web-id"}}, idp.ErrProviderNotConfigured},
		{"auth0 without a client id", idp.Auth0, noClient, idp.ErrProviderNotConfigured},
		{"auth0 over http", idp.Auth0, httpTenant, idp.ErrProviderNotConfigured},
		{"a provider nobody supports", "apple", e.settings, idp.ErrUnknownProvider},
		{"a provider name in capitals", "Google", e.settings, idp.ErrUnknownProvider},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := e.verifier.Verify(context.Background(), tt.provider, tt.settings, token)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Verify error = %v, want %v", err, tt.wantErr)
			}
		})
	}
	if n := e.server.fetches.Load(); n != 0 {
		t.Fatalf("%d key set fetches for tokens that could not be meant for the site", n)
	}
}

func TestKeysAreCachedAndRotationIsFollowed(t *testing.T) {
	t.Parallel()
	// Given a verifier that verified a token (one key set fetch)
	e := newEnv(t)
	ctx := context.Background()
	verify := func(k signingKey) error {
		_, err := e.verifier.Verify(ctx, idp.Google, e.settings, k.sign(t, e.claims(googleIssuer, "web-id")))
		return err
	}
	if err := verify(rsaKey()); err != nil {
		t.Fatal(err)
	}
	// When more tokens of known keys come, the keys are not fetched again
	if err := verify(ecKey()); err != nil || e.server.fetches.Load() != 1 {
		t.Fatalf("second token: %v, %d fetches", err, e.server.fetches.Load())
	}

	// When the provider rotates to a new key, a token signed with it right away is refused without a fetch
	e.server.serve(rsaKey2())
	if err := verify(rsaKey2()); !errors.Is(err, idp.ErrInvalidToken) || e.server.fetches.Load() != 1 {
		t.Fatalf("token of the new key within the refresh interval: %v, %d fetches", err, e.server.fetches.Load())
	}

	// Then once the refresh interval passed, the new key set is fetched and its tokens accepted. (A call
	// right after a fetch may still share that fetch's result in RemoteKeySet, hence a few tries.)
	e.clock.advance(11 * time.Second)
	err := verify(rsaKey2())
	for try := 0; err != nil && try < 20; try++ {
		time.Sleep(5 * time.Millisecond)
		err = verify(rsaKey2())
	}
	if err != nil || e.server.fetches.Load() != 2 {
		t.Fatalf("token of the new key: %v, %d fetches", err, e.server.fetches.Load())
	}
	// And tokens of the retired key are refused (once RemoteKeySet stored the new set, which it does just
	// after answering the fetching call)
	err = verify(rsaKey())
	for try := 0; err == nil && try < 20; try++ {
		time.Sleep(5 * time.Millisecond)
		err = verify(rsaKey())
	}
	if !errors.Is(err, idp.ErrInvalidToken) {
		t.Fatalf("token of the retired key: %v", err)
	}
}
