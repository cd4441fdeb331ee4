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
	writeEncoded(w, r, status, cache, newEncodedBody(encoded))
}

// writeCachedError is writeCached of the single-error body, whose bytes depend only on the status, the
// message and the language: they are encoded and hashed once per combination (a bounded set) rather than
// on every cacheable 404.
func writeCachedError(w http.ResponseWriter, r *http.Request, status int, cache cacheFor, message i18n.MessageID) {
	key := encodedErrorKey{status, message, requestLanguage(r)}
	if known, ok := encodedErrors.Load(key); ok {
		writeEncoded(w, r, status, cache, known.(encodedBody))
		return
	}
	encoded, err := json.Marshal(errorResponse(r, status, message))
	if err != nil {
		writeError(w, r, http.StatusInternalServerError, i18n.InternalError)
		return
	}
	e := newEncodedBody(encoded)
	encodedErrors.Store(key, e)
	writeEncoded(w, r, status, cache, e)
}

// encodedErrors holds the encoded single-error bodies of writeCachedError. Message ids are constants, so
// the map stays small; the bytes are shared and must not be modified.
var encodedErrors sync.Map // encodedErrorKey -> encodedBody

type encodedErrorKey struct {
	status   int
	message  i18n.MessageID
	language i18n.Language
}

// encodedBody is an answer's bytes with the header values that follow from them, built once so answers
// sent many times (memoised plan lists and errors) cost no formatting, hashing or allocation per request.
//
// Warning: every response sending it shares its slices, in its header map too. Nothing may modify them in
// place; Header.Set and Header.Add replace or grow the slice, which is fine.
type encodedBody struct {
	body   []byte
	etag   []string // one strong ETag (strongETag)
	length []string // one Content-Length
}

func newEncodedBody(encoded []byte) encodedBody {
	return encodedBody{body: encoded, etag: []string{strongETag(encoded)}, length: []string{strconv.Itoa(len(encoded))}}
}

// Header values every cached answer shares; see encodedBody's warning.
var jsonContentType = []string{"application/json"}

// cacheControls memoises cacheFor.header's value per cacheFor, all package constants: a handful of entries.
var cacheControls sync.Map // cacheFor -> []string

// control is the Cache-Control value of c, shared like encodedBody's.
func (c cacheFor) control() []string {
	if known, ok := cacheControls.Load(c); ok {
		return known.([]string)
	}
	value := []string{c.header()}
	cacheControls.Store(c, value)
	return value
}

// writeEncoded sends an encoded body with its validators, or a 304 when the request's If-None-Match holds
// the tag (see writeCached). Header keys are written canonical already, so none is canonicalised again.
func writeEncoded(w http.ResponseWriter, r *http.Request, status int, cache cacheFor, e encodedBody) {
	header := w.Header()
	header["Cache-Control"] = cache.control()
	header["Etag"] = e.etag
	if (r.Method == http.MethodGet || r.Method == http.MethodHead) && etagListMatches(r.Header.Get("If-None-Match"), e.etag[0]) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	header["Content-Type"] = jsonContentType
	header["Content-Length"] = e.length
	w.WriteHeader(status)
	_, _ = w.Write(e.body)
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
