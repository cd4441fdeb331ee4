package transport

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// requireSameOrigin refuses, with a 403 page, a console form posted from another site: the Origin header of
// a browser's POST names the page that sent it, and Sec-Fetch-Site says whether it was the console's own.
// SameSite=Strict keeps the session cookie off a cross-site POST, but signing in needs no cookie: without
// this check another site could post its own key to /admin/sign-in and have the operator work, unknowingly,
// in the attacker's account (login CSRF). A request with neither header is no browser's form (curl, a test)
// and goes through.
func requireSameOrigin(publicURL string, log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !sameOrigin(r, publicURL) {
				renderConsoleProblem(w, r, log, http.StatusForbidden, "Forbidden", i18n.AdminCrossSite)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// sameOrigin reports whether the request came from the console's own pages, or from no page at all.
func sameOrigin(r *http.Request, publicURL string) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	own := []string{"http://" + r.Host, "https://" + r.Host}
	if publicURL != "" {
		own = append(own, strings.TrimSuffix(publicURL, "/"))
	}
	for _, o := range own {
		if strings.EqualFold(origin, o) {
			return true
		}
	}
	return false
}
