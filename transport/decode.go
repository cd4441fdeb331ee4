package transport

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// inputError is why a request's input could not be read; it becomes a `{"error":{…}}` response.
type inputError struct {
	status  int
	message i18n.MessageID
}

func (e *inputError) Error() string { return string(e.message) }

// decodeParams reads the query string and the body into one Params. It must never panic, whatever the bytes
// (FuzzDecodeParams holds it to that). A nil body is a request without one: the content type is not even
// looked at. An empty body is fine with any content type; a non-empty body must be JSON (application/json
// or any +json type) or form-encoded. Multipart bodies are left unread for the one handler that takes them
// (profile picture upload), so only their query string is decoded here.
func decodeParams(contentType, rawQuery string, body io.Reader) (Params, *inputError) {
	query, problem := parseQuery(rawQuery, i18n.QueryMalformed)
	if problem != "" {
		return Params{}, &inputError{http.StatusBadRequest, problem}
	}
	params := paramsFromValues(query)
	if body == nil {
		return params, nil
	}

	mediaType, _, mediaErr := mime.ParseMediaType(contentType)
	if mediaErr == nil && mediaType == "multipart/form-data" {
		return params, nil
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		return Params{}, readFailure(err)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return params, nil
	}
	var fromBody Params
	var failure *inputError
	switch {
	case mediaErr != nil:
		return Params{}, &inputError{http.StatusUnsupportedMediaType, i18n.UnsupportedContentType}
	case mediaType == "application/json" || strings.HasSuffix(mediaType, "+json"):
		fromBody, failure = decodeJSONObject(raw)
	case mediaType == "application/x-www-form-urlencoded":
		fromBody, failure = decodeForm(raw)
	default:
		return Params{}, &inputError{http.StatusUnsupportedMediaType, i18n.UnsupportedContentType}
	}
	if failure != nil {
		return Params{}, failure
	}
	return params.merged(fromBody), nil
}

// decodeJSONObject accepts exactly one JSON object; any other JSON value is refused with its own message so
// a front end sending an array learns what is wrong.
func decodeJSONObject(raw []byte) (Params, *inputError) {
	if !json.Valid(raw) {
		return Params{}, &inputError{http.StatusBadRequest, i18n.JSONMalformed}
	}
	var values map[string]json.RawMessage
	if trimmed := bytes.TrimSpace(raw); trimmed[0] != '{' || json.Unmarshal(trimmed, &values) != nil {
		return Params{}, &inputError{http.StatusBadRequest, i18n.JSONNotObject}
	}
	return paramsFromJSON(values), nil
}

// parseQuery parses a raw query string, or says why it cannot: QuerySemicolon for a raw ";" (Go's URL parser
// refuses it, as it cannot tell the old separator from a character of a value), malformed for anything else.
func parseQuery(rawQuery string, malformed i18n.MessageID) (url.Values, i18n.MessageID) {
	if strings.Contains(rawQuery, ";") {
		return nil, i18n.QuerySemicolon
	}
	query, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, malformed
	}
	return query, ""
}

func decodeForm(raw []byte) (Params, *inputError) {
	values, err := url.ParseQuery(string(raw))
	if err != nil {
		return Params{}, &inputError{http.StatusBadRequest, i18n.FormMalformed}
	}
	return paramsFromValues(values), nil
}

// readFailure maps a body read error: over the size limit is 413, anything else (a client that hung up
// mid-body) is a 400.
func readFailure(err error) *inputError {
	if _, tooLarge := errors.AsType[*http.MaxBytesError](err); tooLarge {
		return &inputError{http.StatusRequestEntityTooLarge, i18n.BodyTooLarge}
	}
	return &inputError{http.StatusBadRequest, i18n.BodyUnreadable}
}

// decodeInput is the middleware of the API subrouter: it decodes query and body into the request's Params
// (400/413/415 in the error shape when they cannot be read) and lets a body `language` refine the language.
// A `language` that is no text (Params.Text: a JSON boolean, list or object, or a query `language[]`) is a
// 400 under `language` here, for every endpoint alike, rather than dropped so that the next step of the
// language chain silently decides; a text naming no supported language still falls through the chain.
func decodeInput(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		params, failure := decodeParams(r.Header.Get("Content-Type"), r.URL.RawQuery, requestBody(r))
		if failure != nil {
			writeError(w, r, failure.status, failure.message)
			return
		}
		stateOf(r).params = params
		explicit, isText := params.Text("language")
		if !isText {
			writeValidation(w, r, fieldErrors{"language": {i18n.LanguageText}})
			return
		}
		useLanguage(w, r, explicit, "")
		next.ServeHTTP(w, r)
	})
}

// requestBody is the body of r, or nil when it has none: net/http gives a server request without a body
// (no Content-Length, no chunked encoding) a length of 0 and one of unknown length -1, so a GET costs no
// read and no buffer.
func requestBody(r *http.Request) io.Reader {
	if r.ContentLength == 0 {
		return nil
	}
	return r.Body
}
