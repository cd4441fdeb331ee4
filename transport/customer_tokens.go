package transport

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/auth"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// AuthTokens are the customers' JWTs of internal/auth as the HTTP layer uses them: signed and checked by
// Tokens, revoked one by one in Revocations (logout, refresh) and all at once by the customer's cutoff
// (a password change, an unlinked identity); both are shared by every API instance through PostgreSQL.
type AuthTokens struct {
	Tokens      *auth.Tokens
	Revocations *auth.Revocations
	Cutoffs     TokenCutoffs
}

// TokenCutoffs tells the time before which a customer's tokens no longer authenticate (queries.Customers);
// the zero time when there is none.
type TokenCutoffs interface {
	TokensValidAfter(ctx context.Context, customerID int64) (time.Time, error)
}

// Authenticate verifies the token, then that it was not revoked.
func (a AuthTokens) Authenticate(ctx context.Context, token string) (Principal, error) {
	claims, err := a.Tokens.Parse(token)
	if errors.Is(err, auth.ErrTokenInvalid) {
		return Principal{}, fmt.Errorf("%w: %w", ErrTokenInvalid, err)
	}
	if err != nil {
		return Principal{}, err
	}
	revoked, err := a.Revocations.IsRevoked(ctx, claims.TokenID)
	if err != nil {
		return Principal{}, err
	}
	if revoked {
		return Principal{}, ErrTokenRevoked
	}
	cutoff, err := a.Cutoffs.TokensValidAfter(ctx, claims.CustomerID)
	if errors.Is(err, queries.ErrNotFound) {
		return Principal{}, fmt.Errorf("%w: customer %d is unknown", ErrTokenInvalid, claims.CustomerID)
	}
	if err != nil {
		return Principal{}, err
	}
	// Token times are whole seconds: a token issued in the second of the cutoff (the fresh one answered to
	// a password update) still counts.
	if claims.IssuedAt.Before(cutoff.Truncate(time.Second)) {
		return Principal{}, ErrTokenRevoked
	}
	return Principal{CustomerID: claims.CustomerID, AccountID: claims.AccountID, TokenID: claims.TokenID,
		ExpiresAt: claims.ExpiresAt, Token: token}, nil
}

// Issue signs a new token.
func (a AuthTokens) Issue(_ context.Context, customerID, accountID int64, ttl time.Duration) (string, error) {
	token, _, err := a.Tokens.Issue(customerID, accountID, ttl)
	return token, err
}

// Revoke blacklists the token's jti until the token would have expired anyway; ErrTokenRevoked when
// another request revoked it first.
func (a AuthTokens) Revoke(ctx context.Context, p Principal) error {
	revoked, err := a.Revocations.Revoke(ctx, p.TokenID, p.ExpiresAt)
	if err == nil && !revoked {
		return ErrTokenRevoked
	}
	return err
}
