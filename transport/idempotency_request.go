package transport

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"hash"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/netip"
	"strconv"
)

// idempotencyKeyHeader names a mutation so that a retry of it is recognised (Stripe's semantics).
const idempotencyKeyHeader = "Idempotency-Key"

// maxIdempotencyKeyLength is the longest key accepted, as Stripe accepts: a UUID or any client id fits.
const maxIdempotencyKeyLength = 255

// idempotencyKey returns the request's key; present is true whenever the header was sent, even empty or
// repeated, so that such a request is refused rather than run without the protection it asked for.
func idempotencyKey(r *http.Request) (key string, present bool) {
	values := r.Header.Values(idempotencyKeyHeader)
	if len(values) != 1 {
		return "", len(values) > 1
	}
	return values[0], true
}

// saneIdempotencyKey accepts 1 to 255 printable ASCII characters (space included): anything else would
// end up in no log and no header safely.
func saneIdempotencyKey(key string) bool {
	if key == "" || len(key) > maxIdempotencyKeyLength {
		return false
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x20 || key[i] > 0x7e {
			return false
		}
	}
	return true
}

// digestIdempotentBody runs before decodeInput: for a mutation that carries Idempotency-Key it reads the
// whole body (within limitBody's cap: 413 past it), keeps its digest for the request's fingerprint, and
// hands the same bytes on. Other requests are not touched, so their bodies stay streamed.
func digestIdempotentBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, present := idempotencyKey(r); !present || !isMutation(r.Method) {
			next.ServeHTTP(w, r)
			return
		}
		raw, err := io.ReadAll(r.Body)
		if err != nil {
			failure := readFailure(err)
			writeError(w, r, failure.status, failure.message)
			return
		}
		stateOf(r).bodyDigest = bodyDigest(r.Header.Get("Content-Type"), raw)
		r.Body = io.NopCloser(bytes.NewReader(raw))
		next.ServeHTTP(w, r)
	})
}

// bodyDigest is the SHA-256 of the body's bytes, which is what Stripe compares. A multipart body is
// digested part by part (name, file name, type, content) instead: clients draw a new random boundary
// each time they send one, and a retried photo upload must still be the same request. A multipart body
// that does not parse is digested as bytes; its handler refuses it anyway.
func bodyDigest(contentType string, raw []byte) []byte {
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err == nil && mediaType == "multipart/form-data" {
		if digest, ok := multipartDigest(params["boundary"], raw); ok {
			return digest
		}
	}
	sum := sha256.Sum256(raw)
	return sum[:]
}

func multipartDigest(boundary string, raw []byte) ([]byte, bool) {
	if boundary == "" {
		return nil, false
	}
	h := sha256.New()
	parts := multipart.NewReader(bytes.NewReader(raw), boundary)
	for {
		part, err := parts.NextRawPart()
		if errors.Is(err, io.EOF) {
			return h.Sum(nil), true
		}
		if err != nil {
			return nil, false
		}
		content, err := io.ReadAll(part)
		if err != nil {
			return nil, false
		}
		for _, field := range []string{part.FormName(), part.FileName(), part.Header.Get("Content-Type"), string(content)} {
			writeField(h, field)
		}
	}
}

// requestFingerprint digests what makes a request this request: method, route template, path (its
// variables), query string, body media type and body. Headers are left out (Stripe compares parameters
// only), so a retry in another Accept-Language replays the first answer's language.
func requestFingerprint(r *http.Request) []byte {
	state := stateOf(r)
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		mediaType = r.Header.Get("Content-Type")
	}
	h := sha256.New()
	for _, field := range []string{r.Method, state.route, r.URL.EscapedPath(), r.URL.RawQuery, mediaType, string(state.bodyDigest)} {
		writeField(h, field)
	}
	return h.Sum(nil)
}

// writeField writes a field after its length, so that no two lists of fields digest alike.
func writeField(h hash.Hash, field string) {
	h.Write(binary.BigEndian.AppendUint64(nil, uint64(len(field))))
	h.Write([]byte(field))
}

// customerScope is the caller of a protected route: the authenticated customer of its account.
func customerScope(r *http.Request) string {
	p, _ := requestPrincipal(r)
	return "customer:" + strconv.FormatInt(p.AccountID, 10) + ":" + strconv.FormatInt(p.CustomerID, 10)
}

// publicScope is the caller of a public route: the site and the client's address (callerIP, so behind
// trusted proxies the address they vouch for). Callers sharing an address share a key space, but a
// replay still needs the very same request (a login needs the password), so nothing leaks between them.
func publicScope(trusted []netip.Prefix) func(*http.Request) string {
	return func(r *http.Request) string {
		site, _ := requestSite(r)
		address := "unknown"
		if ip, ok := callerIP(r, trusted); ok {
			address = ip.String()
		}
		return "site:" + strconv.FormatInt(site.ID, 10) + ":ip:" + address
	}
}
