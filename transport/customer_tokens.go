package transport

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/auth"
)

// AuthTokens are the customers' JWTs of internal/auth as the HTTP layer uses them: signed and checked by
// Tokens, revoked one by one in Revocations (logout, refresh) and all at once by the customer's cutoff
// (a password change, an unlinked identity); both are shared by every API instance through PostgreSQL, and
// read together (Revocations.Standing).
type AuthTokens struct {
	Tokens      *auth.Tokens
	Revocations *auth.Revocations
}

// Authenticate verifies the token, then that its customer exists in the account it names (so every
// authenticated read is bound to the account, as the writes are by the customer's stream) and that it was
// not revoked, alone or by its customer's cutoff.
func (a AuthTokens) Authenticate(ctx context.Context, token string) (Principal, error) {
	claims, err := a.Tokens.Parse(token)
	if errors.Is(err, auth.ErrTokenInvalid) {
		return Principal{}, fmt.Errorf("%w: %w", ErrTokenInvalid, err)
	}
	if err != nil {
		return Principal{}, err
	}
	standing, err := a.Revocations.Standing(ctx, claims.TokenID, claims.CustomerID, claims.AccountID)
	switch {
	case err != nil:
		return Principal{}, err
	case standing.Revoked:
		return Principal{}, ErrTokenRevoked
	case !standing.Known:
		return Principal{}, fmt.Errorf("%w: customer %d is unknown in account %d", ErrTokenInvalid,
			claims.CustomerID, claims.AccountID)
	}
	// A token signed before the cutoff no longer counts, even in the cutoff's second: the issue time is
	// precise to the microsecond (the fresh token answered to a password update is signed after it). A token
	// signed before iat_us existed knows only its second, and counts only if that second did not begin before the cutoff.
	if claims.IssuedAt.Before(standing.ValidAfter) {
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
