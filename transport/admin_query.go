package transport

import (
	"log/slog"
	"net/http"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// adminQueryProblem is what is wrong with the request's query string, "" when nothing is: every name and
// value must be text (it parses, is UTF-8 and holds no NUL), refused before a handler reads it, so no search
// term ever reaches PostgreSQL (which fails a statement on a NUL or invalid UTF-8) nor a page (which would
// echo the bytes). A raw ";" has its own message (parseQuery).
func adminQueryProblem(r *http.Request) i18n.MessageID {
	query, problem := parseQuery(r.URL.RawQuery, i18n.AdminQueryInvalid)
	if problem != "" {
		return problem
	}
	for name, values := range query {
		if !queries.Storable(name) || !queries.Storable(values...) {
			return i18n.AdminQueryInvalid
		}
	}
	return ""
}

// requireAdminQueryText answers the admin API's requests whose query string is not text with 400.
func requireAdminQueryText(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if problem := adminQueryProblem(r); problem != "" {
			writeError(w, r, http.StatusBadRequest, problem)
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
			if problem := adminQueryProblem(r); problem != "" {
				renderConsoleProblem(w, r, log, http.StatusBadRequest, "Bad request", problem)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}
