package auth_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/pelcro-oss/pelcro-api/internal/auth"
)

const issuer = "https://api.example.com/api/v1/sdk/customer"

var (
	jwtKey = []byte("test-jwt-key-of-at-least-32-bytes!!")
	epoch  = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
)

func newTokens(t testing.TB, c *clock) *auth.Tokens {
	t.Helper()
	tokens, err := auth.NewTokens(jwtKey, issuer)
	if err != nil {
		t.Fatal(err)
	}
	tokens.Now = c.Now
	return tokens
}

func TestIssuedTokenParsesBackToItsClaims(t *testing.T) {
	t.Parallel()
	c := &clock{now: epoch}
	tokens := newTokens(t, c)
	// when a token is issued for customer 207 of account 3 for 60 days
	token, issued, err := tokens.Issue(207, 3, 60*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	// then it parses back to the same claims
	got, err := tokens.Parse(token)
	if err != nil {
		t.Fatal(err)
	}
	if got != issued || got.CustomerID != 207 || got.AccountID != 3 || got.TokenID == "" ||
		!got.IssuedAt.Equal(epoch) || !got.ExpiresAt.Equal(epoch.Add(60*24*time.Hour)) {
		t.Fatalf("claims %+v, issued %+v", got, issued)
	}
	// and its payload carries the claims clients know, sub as a string
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(token, claims); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"iss", "sub", "iat", "nbf", "exp", "jti", "prv", "acc"} {
		if _, ok := claims[name]; !ok {
			t.Errorf("claim %s missing from %v", name, claims)
		}
	}
	if claims["sub"] != "207" || claims["iss"] != issuer {
		t.Errorf("sub %v, iss %v", claims["sub"], claims["iss"])
	}
	// and a second token gets another jti
	if _, second, _ := tokens.Issue(207, 3, time.Hour); second.TokenID == issued.TokenID {
		t.Error("two tokens share a jti")
	}
}

func TestParseHonoursLifetimeWithLeeway(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		parseAt time.Duration // after issue
		want    error
	}{
		{"just issued", 0, nil},
		{"last second", time.Hour, nil},
		{"within leeway after expiry", time.Hour + auth.TokenLeeway - time.Second, nil},
		{"past leeway", time.Hour + auth.TokenLeeway + time.Second, auth.ErrTokenExpired},
		{"clock skew within leeway", -auth.TokenLeeway + time.Second, nil},
		{"issued in the future", -time.Minute, auth.ErrTokenNotYetValid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a token valid for an hour
			c := &clock{now: epoch}
			tokens := newTokens(t, c)
			token, _, err := tokens.Issue(1, 1, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			// when it is parsed later (or on a server whose clock is behind)
			c.now = epoch.Add(tc.parseAt)
			_, err = tokens.Parse(token)
			// then it is accepted or refused as expected, always as an invalid token
			if !errors.Is(err, tc.want) || (tc.want != nil && !errors.Is(err, auth.ErrTokenInvalid)) {
				t.Fatalf("Parse = %v; want %v", err, tc.want)
			}
		})
	}
}

// sign builds a token with the given header algorithm and claims, signed with key (unsigned for "none").
func sign(t testing.TB, method jwt.SigningMethod, claims jwt.MapClaims, key any) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validClaims() jwt.MapClaims {
	return jwt.MapClaims{"iss": issuer, "sub": "207", "iat": epoch.Unix(), "nbf": epoch.Unix(),
		"exp": epoch.Add(time.Hour).Unix(), "jti": "abc", "prv": "be7005a186e3bafd48655a5df06c63ae5cb57841", "acc": 3}
}

func with(change func(jwt.MapClaims)) jwt.MapClaims {
	c := validClaims()
	change(c)
	return c
}

func TestParseRefusesForgedAndMalformedTokens(t *testing.T) {
	t.Parallel()
	tokens := newTokens(t, &clock{now: epoch})
	good, _, err := tokens.Issue(207, 3, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	header, rest, _ := strings.Cut(good, ".")
	payload, signature, _ := strings.Cut(rest, ".")
	flipped := []byte(signature) // another valid base64url character in front: same length, other bytes
	if flipped[0] == 'A' {
		flipped[0] = 'B'
	} else {
		flipped[0] = 'A'
	}
	otherSub := base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"1"}`))
	cases := []struct {
		name  string
		token string
		want  error
	}{
		{"control: crafted valid claims", sign(t, jwt.SigningMethodHS256, validClaims(), jwtKey), nil},
		{"alg none", sign(t, jwt.SigningMethodNone, validClaims(), jwt.UnsafeAllowNoneSignatureType), auth.ErrTokenAlgorithm},
		{"HS512 with our key", sign(t, jwt.SigningMethodHS512, validClaims(), jwtKey), auth.ErrTokenAlgorithm},
		{"alg header removed", base64.RawURLEncoding.EncodeToString([]byte(`{"typ":"JWT"}`)) + "." + rest, auth.ErrTokenAlgorithm},
		{"other key", sign(t, jwt.SigningMethodHS256, validClaims(), []byte("some-other-key-of-32-bytes-long!!")), auth.ErrTokenSignature},
		{"tampered signature", header + "." + payload + "." + string(flipped), auth.ErrTokenSignature},
		{"tampered payload", header + "." + otherSub + "." + signature, auth.ErrTokenSignature},
		{"no signature", header + "." + payload + ".", auth.ErrTokenSignature},
		{"garbage", "not a token", auth.ErrTokenMalformed},
		{"two segments", header + "." + payload, auth.ErrTokenMalformed},
		{"empty", "", auth.ErrTokenMalformed},
		{"oversized", good + strings.Repeat("A", auth.MaxTokenBytes), auth.ErrTokenTooLarge},
		{"other issuer", sign(t, jwt.SigningMethodHS256, with(func(c jwt.MapClaims) { c["iss"] = "https://evil/" }), jwtKey), auth.ErrTokenClaims},
		{"no exp", sign(t, jwt.SigningMethodHS256, with(func(c jwt.MapClaims) { delete(c, "exp") }), jwtKey), auth.ErrTokenClaims},
		{"sub not a number", sign(t, jwt.SigningMethodHS256, with(func(c jwt.MapClaims) { c["sub"] = "x" }), jwtKey), auth.ErrTokenClaims},
		{"sub padded", sign(t, jwt.SigningMethodHS256, with(func(c jwt.MapClaims) { c["sub"] = "0207" }), jwtKey), auth.ErrTokenClaims},
		{"no account", sign(t, jwt.SigningMethodHS256, with(func(c jwt.MapClaims) { delete(c, "acc") }), jwtKey), auth.ErrTokenClaims},
		{"no jti", sign(t, jwt.SigningMethodHS256, with(func(c jwt.MapClaims) { delete(c, "jti") }), jwtKey), auth.ErrTokenClaims},
		{"no iat", sign(t, jwt.SigningMethodHS256, with(func(c jwt.MapClaims) { delete(c, "iat") }), jwtKey), auth.ErrTokenClaims},
		{"other prv", sign(t, jwt.SigningMethodHS256, with(func(c jwt.MapClaims) { c["prv"] = "staff" }), jwtKey), auth.ErrTokenClaims},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// when the token is parsed, then it fails with the expected reason, which is an invalid token
			claims, err := tokens.Parse(c.token)
			if !errors.Is(err, c.want) || (c.want != nil && !errors.Is(err, auth.ErrTokenInvalid)) {
				t.Fatalf("Parse = %+v, %v; want %v", claims, err, c.want)
			}
		})
	}
}

func TestNewTokensAndIssueRefuseBadInput(t *testing.T) {
	t.Parallel()
	if _, err := auth.NewTokens([]byte("short"), issuer); err == nil {
		t.Error("NewTokens accepted a 5-byte key")
	}
	if _, err := auth.NewTokens(jwtKey, ""); err == nil {
		t.Error("NewTokens accepted an empty issuer")
	}
	tokens := newTokens(t, &clock{now: epoch})
	for _, in := range []struct {
		customer, account int64
		ttl               time.Duration
	}{{0, 1, time.Hour}, {1, 0, time.Hour}, {1, 1, 0}} {
		if _, _, err := tokens.Issue(in.customer, in.account, in.ttl); err == nil {
			t.Errorf("Issue(%d, %d, %s) succeeded", in.customer, in.account, in.ttl)
		}
	}
}

// FuzzParseToken checks Parse never panics, and accepts nothing a forger could make without the key: the
// only acceptable tokens are ones it issued. The seeds run in every `go test`.
func FuzzParseToken(f *testing.F) {
	tokens := newTokens(f, &clock{now: epoch})
	// good is deterministic (HS256 over fixed claims), so every fuzz worker agrees on it
	good := sign(f, jwt.SigningMethodHS256, validClaims(), jwtKey)
	f.Add(good)
	f.Add(sign(f, jwt.SigningMethodNone, validClaims(), jwt.UnsafeAllowNoneSignatureType))
	f.Add(good[:len(good)-2] + "xx")
	for _, seed := range []string{"", "..", "a.b.c", "eyJhbGciOiJIUzI1NiJ9..", "eyJ9.eyJ9.eyJ9", "\x00\xff"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, token string) {
		claims, err := tokens.Parse(token)
		if err == nil && token != good {
			t.Fatalf("accepted a token it did not issue: %q → %+v", token, claims)
		}
		if err != nil && !errors.Is(err, auth.ErrTokenInvalid) {
			t.Fatalf("error %v is not an ErrTokenInvalid", err)
		}
	})
}

// TestATokenKnowsItsIssueTimeToTheMicrosecond: a cutoff (a password change) falls inside a second; the token
// signed a moment before it in that second must be told from the one signed after it, so iat_us carries
// the issue time to the microsecond. A token signed before iat_us existed parses to its whole second, and
// an iat_us outside iat's second is a claims error.
func TestATokenKnowsItsIssueTimeToTheMicrosecond(t *testing.T) {
	t.Parallel()
	moment := epoch.Add(427_318 * time.Microsecond)
	tokens := newTokens(t, &clock{now: moment.Add(999 * time.Nanosecond)})
	token, issued, err := tokens.Issue(207, 3, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := tokens.Parse(token); err != nil || !got.IssuedAt.Equal(moment) || got != issued {
		t.Fatalf("issued at %v (%v), want %v", got.IssuedAt, err, moment)
	}
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(token, claims); err != nil || claims["iat"] != float64(epoch.Unix()) {
		t.Fatalf("iat = %v (%v), want the whole second %d", claims["iat"], err, epoch.Unix())
	}
	for _, tc := range []struct {
		name   string
		claims jwt.MapClaims
		want   time.Time // zero: refused
	}{
		{"older token", validClaims(), epoch},
		{"in iat's second", with(func(c jwt.MapClaims) { c["iat_us"] = moment.UnixMicro() }), moment},
		{"outside iat's second", with(func(c jwt.MapClaims) { c["iat_us"] = moment.Add(time.Second).UnixMicro() }), time.Time{}},
	} {
		got, err := tokens.Parse(sign(t, jwt.SigningMethodHS256, tc.claims, jwtKey))
		switch {
		case tc.want.IsZero() && !errors.Is(err, auth.ErrTokenClaims):
			t.Errorf("%s: %+v, %v; want a claims error", tc.name, got, err)
		case !tc.want.IsZero() && (err != nil || !got.IssuedAt.Equal(tc.want)):
			t.Errorf("%s: issued at %v, %v; want %v", tc.name, got.IssuedAt, err, tc.want)
		}
	}
}
