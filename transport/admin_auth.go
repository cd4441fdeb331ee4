package transport

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/pelcro-oss/pelcro-api/internal/apikeys"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

type adminKeyContext struct{}

// adminKey is the API key that authenticated the request (requireAdminKey, requireConsoleSession).
func adminKey(r *http.Request) apikeys.Key {
	k, _ := r.Context().Value(adminKeyContext{}).(apikeys.Key)
	return k
}

func withAdminKey(r *http.Request, k apikeys.Key) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), adminKeyContext{}, k))
}

// requireAdminKey authenticates the admin API's callers by "Authorization: Bearer <API key>": 401 without a
// key, and 401 alike for a malformed, unknown or revoked one (the caller learns nothing about which).
// Cookies are never read here, so a page of another origin cannot make a browser call the API as its
// signed-in operator.
func requireAdminKey(keys AdminKeys, log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "no-store")
			presented, ok := bearerToken(r)
			if !ok {
				w.Header().Set("WWW-Authenticate", `Bearer realm="pelcro-admin"`)
				writeError(w, r, http.StatusUnauthorized, i18n.AdminKeyMissing)
				return
			}
			k, err := keys.Authenticate(r.Context(), presented)
			switch {
			case errors.Is(err, apikeys.ErrInvalidKey):
				w.Header().Set("WWW-Authenticate", `Bearer realm="pelcro-admin", error="invalid_token"`)
				writeError(w, r, http.StatusUnauthorized, i18n.AdminKeyInvalid)
			case err != nil:
				internalError(w, r, log, "authenticating an API key", err)
			default:
				next.ServeHTTP(w, withAdminKey(r, k))
			}
		})
	}
}
