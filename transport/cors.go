package transport

import (
	"net/http"

	"github.com/rs/cors"
)

// defaultAllowedOrigins lets any web page call the API. That is safe here because the API authenticates with
// a bearer token the page must add itself, never with cookies, so credentials are not allowed. Restrict it
// through Dependencies.AllowedOrigins when a deployment serves known front ends only.
var defaultAllowedOrigins = []string{"*"}

// corsPreflightMaxAge lets browsers reuse a preflight answer for ten minutes.
const corsPreflightMaxAge = 600

// allowCORS answers preflight requests and adds the CORS headers browsers need to read responses. The
// exposed headers are the ones front ends use: the language of the messages, the cache validator and the
// request id to quote in support requests.
func allowCORS(allowedOrigins []string) func(http.Handler) http.Handler {
	if len(allowedOrigins) == 0 {
		allowedOrigins = defaultAllowedOrigins
	}
	return cors.New(cors.Options{
		AllowedOrigins: allowedOrigins,
		AllowedMethods: []string{
			http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete,
		},
		AllowedHeaders: []string{
			"Accept", "Accept-Language", "Authorization", "Content-Type", "If-None-Match", requestIDHeader,
		},
		ExposedHeaders: []string{"Content-Language", "ETag", requestIDHeader},
		MaxAge:         corsPreflightMaxAge,
	}).Handler
}
