package transport

import (
	"net/http"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// DefaultMaxBodyBytes caps request bodies when Dependencies.MaxBodyBytes is zero: JSON and form inputs of
// this API are small, and the cap keeps a hostile client from making the server buffer large bodies.
const DefaultMaxBodyBytes int64 = 1 << 20

// limitBody refuses bodies over maxBytes with a 413 in the error shape: at once when Content-Length
// announces it, or when reading crosses the limit (chunked bodies), through http.MaxBytesReader.
func limitBody(maxBytes int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > maxBytes {
				writeError(w, r, http.StatusRequestEntityTooLarge, i18n.BodyTooLarge)
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, maxBytes)
			next.ServeHTTP(w, r)
		})
	}
}

// negotiateLanguage picks the response language from what is known before the body is read (the `language`
// query parameter, then Accept-Language) so that even early failures (413, 404, panics) are localised and
// carry Content-Language. Responses vary with Accept-Language, which caches must know.
func negotiateLanguage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Language")
		useLanguage(w, r, r.URL.Query().Get("language"), "")
		next.ServeHTTP(w, r)
	})
}

// decodeInput is the middleware of the API subrouter: it decodes query and body into the request's Params
// (400/413/415 in the error shape when they cannot be read) and lets a body `language` refine the language.
func decodeInput(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		params, failure := decodeParams(r.Header.Get("Content-Type"), r.URL.RawQuery, r.Body)
		if failure != nil {
			writeError(w, r, failure.status, failure.message)
			return
		}
		stateOf(r).params = params
		explicit, _ := params.String("language")
		useLanguage(w, r, explicit, "")
		next.ServeHTTP(w, r)
	})
}
