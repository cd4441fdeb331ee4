package transport

import (
	"net/http"
	"strings"

	"github.com/gorilla/mux"
	"github.com/rs/cors"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// defaultAllowedOrigins lets any web page call the API. That is safe here because the API authenticates with
// a bearer token the page must add itself, never with cookies, so credentials are not allowed. Restrict it
// through Dependencies.AllowedOrigins when a deployment serves known front ends only.
var defaultAllowedOrigins = []string{"*"}

// corsPreflightMaxAge lets browsers reuse a preflight answer for ten minutes.
const corsPreflightMaxAge = 600

// allowCORS answers preflight requests and adds the CORS headers browsers need to read responses. The
// exposed headers are the ones front ends use: the language of the messages, the cache validator and the
// request id to quote in support requests, whether an answer is a replay (Idempotency-Key) and when to
// retry. The admin API and console (/admin) get no CORS headers at all.
func allowCORS(allowedOrigins []string) func(http.Handler) http.Handler {
	if len(allowedOrigins) == 0 {
		allowedOrigins = defaultAllowedOrigins
	}
	handler := cors.New(cors.Options{
		AllowedOrigins: allowedOrigins,
		AllowedMethods: []string{
			http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete,
		},
		AllowedHeaders: []string{
			"Accept", "Accept-Language", "Authorization", "Content-Type", "If-None-Match", requestIDHeader,
			idempotencyKeyHeader,
		},
		ExposedHeaders: []string{"Content-Language", "ETag", requestIDHeader, idempotentReplayedHeader, "Retry-After"},
		MaxAge:         corsPreflightMaxAge,
	}).Handler
	return func(next http.Handler) http.Handler {
		withCORS := handler(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if isAdminPath(r.URL.Path) {
				next.ServeHTTP(w, r) // no page of another origin has any business reading /admin
				return
			}
			withCORS.ServeHTTP(w, r)
		})
	}
}

// isAdminPath tells the paths of the admin API and console, which serve operators' tools and the console's
// own pages only: no cross-origin access.
func isAdminPath(path string) bool {
	return path == ConsolePath || strings.HasPrefix(path, ConsolePath+"/")
}

// DefaultMaxBodyBytes caps request bodies when Dependencies.MaxBodyBytes is zero: JSON and form inputs of
// this API are small, and the cap keeps a hostile client from making the server buffer large bodies.
const DefaultMaxBodyBytes int64 = 1 << 20

// limitBody refuses bodies over maxBytes with a 413 in the error shape: at once when Content-Length
// announces it, or when reading crosses the limit (chunked bodies), through http.MaxBytesReader. The
// profile photo upload alone gets a larger cap (bodyLimit). A body refused at once never reaches routes,
// so the route it was sent to is recorded here, for its access line and metrics to name it as any other's.
func limitBody(maxBytes int64, routes *mux.Router) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			limit := bodyLimit(r, maxBytes)
			if r.ContentLength > limit {
				stateOf(r).route = routeTemplate(routes, r)
				writeError(w, r, http.StatusRequestEntityTooLarge, i18n.BodyTooLarge)
				return
			}
			if r.ContentLength != 0 { // a request without a body has nothing to limit (requestBody)
				r.Body = http.MaxBytesReader(w, r.Body, limit)
			}
			next.ServeHTTP(w, r)
		})
	}
}
