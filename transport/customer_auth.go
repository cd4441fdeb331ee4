package transport

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// Principal is the customer a valid bearer token speaks for.
type Principal struct {
	CustomerID int64
	AccountID  int64
	// TokenID is the token's jti, what logout revokes.
	TokenID   string
	ExpiresAt time.Time
	// Token is the bearer token as received; POST /customer answers with it (spec #10).
	Token string
}

// ErrTokenInvalid is what a CustomerAuthenticator returns for a token that is malformed, forged, signed with
// another algorithm, expired or not yet valid: all of them are 401 "Invalid or expired token".
var ErrTokenInvalid = errors.New("transport: invalid or expired token")

// ErrTokenRevoked is what a CustomerAuthenticator returns for a token revoked by logout: 403.
var ErrTokenRevoked = errors.New("transport: token revoked")

// CustomerAuthenticator checks bearer tokens (internal/auth, wired by cmd/pelcro).
type CustomerAuthenticator interface {
	// Authenticate verifies the token (size first, then algorithm, signature, lifetime) and that it was not
	// revoked. It returns
	// ErrTokenInvalid or ErrTokenRevoked (possibly wrapped) for a token the client must not use, and any other
	// error for a failure of the check itself (a 500).
	Authenticate(ctx context.Context, token string) (Principal, error)
}

type principalKey struct{}

// requestPrincipal returns the customer requireCustomer authenticated.
func requestPrincipal(r *http.Request) (Principal, bool) {
	p, ok := r.Context().Value(principalKey{}).(Principal)
	return p, ok
}

// requireCustomer guards the protected endpoints (rule 2): no token → 401 "Token not provided"; a bad
// token, or one of another account than the request's site → 401 "Invalid or expired token"; a revoked
// token → 403. It runs after the site check, so the site is known.
func requireCustomer(auth CustomerAuthenticator, log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			token, present := bearerToken(r)
			if !present {
				writeError(w, r, http.StatusUnauthorized, i18n.TokenNotProvided)
				return
			}
			principal, err := auth.Authenticate(r.Context(), token)
			if site, _ := requestSite(r); err == nil && principal.AccountID != site.AccountID {
				err = ErrTokenInvalid
			}
			if err != nil {
				refuseToken(w, r, log, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), principalKey{}, principal)))
		})
	}
}

// refuseToken answers a token Authenticate refused with err: 403 when it was revoked, 401 when it is not
// valid, 500 when it could not be checked.
func refuseToken(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	switch {
	case errors.Is(err, ErrTokenRevoked):
		writeError(w, r, http.StatusForbidden, i18n.TokenBlacklisted)
	case errors.Is(err, ErrTokenInvalid):
		writeError(w, r, http.StatusUnauthorized, i18n.TokenInvalid)
	default:
		internalError(w, r, log, "authenticating a customer token", err)
	}
}

// bearerToken returns the token of an "Authorization: Bearer <token>" header. A header in another scheme,
// or an empty token, counts as no token.
func bearerToken(r *http.Request) (string, bool) {
	scheme, token, found := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
