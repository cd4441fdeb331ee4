package transport

import (
	"log/slog"
	"net/http"
	"net/url"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// adminQueryText reports whether every name and value of the request's query string is text: it parses, is
// UTF-8 and holds no NUL. Anything else is refused before a handler reads it, so no search term ever reaches
// PostgreSQL (which fails a statement on a NUL or invalid UTF-8) nor a page (which would echo the bytes).
func adminQueryText(r *http.Request) bool {
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return false
	}
	for name, values := range query {
		if !queries.Storable(name) || !queries.Storable(values...) {
			return false
		}
	}
	return true
}

// requireAdminQueryText answers the admin API's requests whose query string is not text with 400.
func requireAdminQueryText(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !adminQueryText(r) {
			writeError(w, r, http.StatusBadRequest, i18n.AdminQueryInvalid)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requireConsoleQueryText answers the console's requests whose query string is not text with its error page
// and 400.
func requireConsoleQueryText(log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !adminQueryText(r) {
				renderConsoleProblem(w, r, log, http.StatusBadRequest, "Bad request", i18n.AdminQueryInvalid)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}
