package transport

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// cacheFor says who may keep an answer, and for how long.
type cacheFor struct {
	maxAge time.Duration
	// browserOnly marks the answer private: the caller's browser may keep it, a shared cache (CDN, proxy)
	// must not, because it depends on something neither the URL nor Vary names, such as the caller's address.
	browserOnly bool
}

// header is the Cache-Control value.
func (c cacheFor) header() string {
	value := "max-age=" + strconv.Itoa(int(c.maxAge/time.Second))
	if c.browserOnly {
		return "private, " + value
	}
	return value
}

// writeCached answers with body and lets browsers (and edges, unless cache is browserOnly) keep it for
// cache.maxAge: `Cache-Control: max-age=N` and a strong ETag computed from the exact bytes sent, so a
// conditional request (If-None-Match) that still holds the same representation gets a 304 with no body. Use
// it for 404s too where the spec caches them.
//
// Warning: the ETag covers the body only. Everything that changes the body (site, language, parameters) must
// be in the URL or in Vary (Accept-Language is), or an edge will serve one caller's answer to another: mark
// anything else browserOnly. Do not use it for responses that depend on the Authorization header.
func writeCached(w http.ResponseWriter, r *http.Request, status int, cache cacheFor, body any) {
	encoded, err := json.Marshal(body)
	if err != nil {
		writeError(w, r, http.StatusInternalServerError, i18n.InternalError)
		return
	}
	writeEncoded(w, r, status, cache, encoded, strongETag(encoded))
}

// writeCachedError is writeCached of the single-error body, whose bytes depend only on the status, the
// message and the language: they are encoded and hashed once per combination (a bounded set) rather than
// on every cacheable 404.
func writeCachedError(w http.ResponseWriter, r *http.Request, status int, cache cacheFor, message i18n.MessageID) {
	key := encodedErrorKey{status, message, requestLanguage(r)}
	if known, ok := encodedErrors.Load(key); ok {
		e := known.(encodedBody)
		writeEncoded(w, r, status, cache, e.body, e.etag)
		return
	}
	encoded, err := json.Marshal(errorResponse(r, status, message))
	if err != nil {
		writeError(w, r, http.StatusInternalServerError, i18n.InternalError)
		return
	}
	e := encodedBody{body: encoded, etag: strongETag(encoded)}
	encodedErrors.Store(key, e)
	writeEncoded(w, r, status, cache, e.body, e.etag)
}

// encodedErrors holds the encoded single-error bodies of writeCachedError. Message ids are constants, so
// the map stays small; the bytes are shared and must not be modified.
var encodedErrors sync.Map // encodedErrorKey -> encodedBody

type encodedErrorKey struct {
	status   int
	message  i18n.MessageID
	language i18n.Language
}

type encodedBody struct {
	body []byte
	etag string
}

// writeEncoded sends an encoded body with its validators, or a 304 when the request's If-None-Match holds
// the tag (see writeCached).
func writeEncoded(w http.ResponseWriter, r *http.Request, status int, cache cacheFor, encoded []byte, etag string) {
	header := w.Header()
	header.Set("Cache-Control", cache.header())
	header.Set("ETag", etag)
	if (r.Method == http.MethodGet || r.Method == http.MethodHead) && etagListMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	header.Set("Content-Type", "application/json")
	header.Set("Content-Length", strconv.Itoa(len(encoded)))
	w.WriteHeader(status)
	_, _ = w.Write(encoded)
}

// strongETag names the representation by the SHA-256 of its bytes (128 bits are plenty to tell versions
// apart), quoted as RFC 9110 requires.
func strongETag(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
}

// etagListMatches applies If-None-Match: `*` matches anything, otherwise any listed tag matches by the weak
// comparison RFC 9110 prescribes for this header (a W/ prefix is ignored).
func etagListMatches(ifNoneMatch, etag string) bool {
	for candidate := range strings.SplitSeq(ifNoneMatch, ",") {
		candidate = strings.TrimSpace(candidate)
		if candidate == "*" || strings.TrimPrefix(candidate, "W/") == etag {
			return true
		}
	}
	return false
}
