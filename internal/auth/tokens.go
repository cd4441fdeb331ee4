package auth

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Token limits.
const (
	// MaxTokenBytes bounds what Parse reads: a customer token is about 350 bytes, so anything past 4 KiB is
	// refused before it is decoded.
	MaxTokenBytes = 4096
	// TokenLeeway is the clock skew Parse tolerates on exp, nbf and iat between API instances and clients.
	TokenLeeway = 5 * time.Second
	// MinKeyBytes is the shortest HMAC key NewTokens accepts (HS256 wants at least the hash size).
	MinKeyBytes = 32
)

// customerPrv marks a token as a customer token, in the place tymon/jwt-auth puts its provider hash (the
// `prv` claim): the hex SHA-1 of "pelcro customer". A future kind of token (staff, say) gets another value,
// so it can never pass as a customer's. Stored format: every token in the wild carries it; changing it
// logs every customer out.
const customerPrv = "be7005a186e3bafd48655a5df06c63ae5cb57841"

// Parse errors. Each wraps ErrTokenInvalid, which is what the HTTP layer maps to 401 "Invalid or expired
// token"; the finer ones are for logs and tests.
var (
	ErrTokenInvalid     = errors.New("auth: invalid token")
	ErrTokenTooLarge    = fmt.Errorf("%w: larger than %d bytes", ErrTokenInvalid, MaxTokenBytes)
	ErrTokenMalformed   = fmt.Errorf("%w: malformed", ErrTokenInvalid)
	ErrTokenAlgorithm   = fmt.Errorf("%w: algorithm is not HS256", ErrTokenInvalid)
	ErrTokenSignature   = fmt.Errorf("%w: bad signature", ErrTokenInvalid)
	ErrTokenExpired     = fmt.Errorf("%w: expired", ErrTokenInvalid)
	ErrTokenNotYetValid = fmt.Errorf("%w: not valid yet", ErrTokenInvalid)
	ErrTokenClaims      = fmt.Errorf("%w: wrong or missing claims", ErrTokenInvalid)
)

// Claims is what a valid customer token says.
type Claims struct {
	CustomerID int64
	AccountID  int64
	// TokenID is the jti: what logout revokes.
	TokenID string
	// IssuedAt is when the token was signed, to the microsecond (iat_us), or to the second for a token
	// signed before iat_us existed: a password change's cutoff must tell a token signed a moment before it,
	// in the same second, from the one signed right after it for the answer.
	IssuedAt  time.Time // UTC
	ExpiresAt time.Time // UTC, whole seconds
}

// wireClaims is the JWT payload. Stored format (tokens live for up to a year in clients): the claim names
// and types are iss, sub (decimal string), iat, nbf, exp, jti, prv, acc (the account id, a number) and
// iat_us (iat to the microsecond, a number of Unix microseconds in iat's second; absent from older tokens).
type wireClaims struct {
	jwt.RegisteredClaims
	Prv          string `json:"prv"`
	Account      int64  `json:"acc"`
	IssuedMicros int64  `json:"iat_us,omitempty"`
}

// Tokens issues and checks customer JWTs signed with HS256. Safe for concurrent use.
type Tokens struct {
	key    []byte
	issuer string
	// Now is the clock; nil means time.Now. Set it before first use (tests).
	Now func() time.Time
}

// NewTokens returns Tokens keyed by key (Keys.JWT, at least MinKeyBytes) that write issuer into `iss` and
// accept only tokens carrying that same issuer, e.g. "https://api.example.com/api/v1/sdk/customer".
func NewTokens(key []byte, issuer string) (*Tokens, error) {
	if len(key) < MinKeyBytes {
		return nil, fmt.Errorf("auth: JWT key of %d bytes, want at least %d", len(key), MinKeyBytes)
	}
	if issuer == "" {
		return nil, errors.New("auth: JWT issuer is empty")
	}
	return &Tokens{key: append([]byte(nil), key...), issuer: issuer}, nil
}

func (t *Tokens) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

// Issue signs a token for customerID of accountID valid for ttl from now, with a fresh random jti.
func (t *Tokens) Issue(customerID, accountID int64, ttl time.Duration) (string, Claims, error) {
	if customerID <= 0 || accountID <= 0 || ttl <= 0 {
		return "", Claims{}, fmt.Errorf("auth: issue token for customer %d, account %d, ttl %s", customerID, accountID, ttl)
	}
	precise := t.now().UTC().Truncate(time.Microsecond)
	now := precise.Truncate(time.Second) // JWT times are whole seconds
	claims := Claims{CustomerID: customerID, AccountID: accountID, TokenID: newRandomID(),
		IssuedAt: precise, ExpiresAt: now.Add(ttl).Truncate(time.Second)}
	wire := wireClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    t.issuer,
			Subject:   strconv.FormatInt(customerID, 10),
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(claims.ExpiresAt),
			ID:        claims.TokenID,
		},
		Prv:          customerPrv,
		Account:      accountID,
		IssuedMicros: precise.UnixMicro(),
	}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, wire).SignedString(t.key)
	if err != nil {
		return "", Claims{}, fmt.Errorf("auth: sign token: %w", err)
	}
	return signed, claims, nil
}

// Parse verifies token (size, HS256 only, signature, issuer, exp/nbf/iat with TokenLeeway, the customer
// claims) and returns its claims. Every failure wraps ErrTokenInvalid and one of the finer errors above.
// It does not know about revocation: check Revocations.Standing with Claims.TokenID.
func (t *Tokens) Parse(token string) (Claims, error) {
	if len(token) > MaxTokenBytes {
		return Claims{}, ErrTokenTooLarge
	}
	var wire wireClaims
	parsed, err := jwt.ParseWithClaims(token, &wire, func(*jwt.Token) (any, error) { return t.key, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(t.issuer), jwt.WithIssuedAt(), jwt.WithExpirationRequired(),
		jwt.WithLeeway(TokenLeeway), jwt.WithTimeFunc(t.now))
	if err != nil {
		return Claims{}, classify(parsed, err)
	}
	customerID, err := strconv.ParseInt(wire.Subject, 10, 64)
	if err != nil || customerID <= 0 || strconv.FormatInt(customerID, 10) != wire.Subject ||
		wire.Account <= 0 || wire.Prv != customerPrv || wire.ID == "" || wire.IssuedAt == nil {
		return Claims{}, ErrTokenClaims
	}
	issuedAt, ok := preciseIssue(wire)
	if !ok {
		return Claims{}, ErrTokenClaims
	}
	return Claims{CustomerID: customerID, AccountID: wire.Account, TokenID: wire.ID,
		IssuedAt: issuedAt, ExpiresAt: wire.ExpiresAt.UTC()}, nil
}

// preciseIssue is the token's issue time to the microsecond when it carries iat_us, which must fall in
// iat's second, or iat's whole second for a token signed before iat_us existed.
func preciseIssue(wire wireClaims) (time.Time, bool) {
	second := wire.IssuedAt.UTC()
	if wire.IssuedMicros == 0 {
		return second, true
	}
	precise := time.UnixMicro(wire.IssuedMicros).UTC()
	return precise, precise.Truncate(time.Second).Equal(second)
}

// classify maps a jwt library error to ours. The algorithm is checked first: a token with alg "none" or
// another algorithm is refused for that, whatever else is wrong with it.
func classify(parsed *jwt.Token, err error) error {
	switch {
	case parsed != nil && parsed.Method != nil && parsed.Method.Alg() != jwt.SigningMethodHS256.Alg():
		return ErrTokenAlgorithm
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		return ErrTokenAlgorithm // alg missing or unknown to the library
	case errors.Is(err, jwt.ErrTokenMalformed):
		return ErrTokenMalformed
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return ErrTokenSignature
	case errors.Is(err, jwt.ErrTokenExpired):
		return ErrTokenExpired
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return ErrTokenNotYetValid
	default:
		return ErrTokenClaims
	}
}

// newRandomID returns 128 random bits, base64url without padding (22 characters).
func newRandomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (it crashes the program instead)
	return base64.RawURLEncoding.EncodeToString(b)
}
