package transport

import (
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/gorilla/mux"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// The response bodies of spec sections 1.6 and 1.7. Every endpoint answers with one of these shapes.
type (
	// dataBody is the success envelope: {"data": …}.
	dataBody struct {
		Data any `json:"data"`
	}
	// errorBody is the application, business-rule and auth error shape: {"error":{"status":…,"message":…}}.
	errorBody struct {
		Error errorDetail `json:"error"`
	}
	errorDetail struct {
		Status  int    `json:"status"`
		Message string `json:"message"`
	}
	// validationBody is the field validation shape: {"errors":{"field":["message", …]}}, a 400 (a 404 only
	// for password reset).
	validationBody struct {
		Errors map[string][]string `json:"errors"`
	}
)

// fieldErrors collects validation failures per field, as message ids localised when written.
type fieldErrors map[string][]i18n.MessageID

// writeData answers with the success envelope.
func writeData(w http.ResponseWriter, status int, data any) {
	writeJSON(w, status, dataBody{Data: data})
}

// errorResponse builds the single-error body in the request's language; exposed separately so the caching
// helper can send a cacheable 404 in the same shape.
func errorResponse(r *http.Request, status int, message i18n.MessageID) errorBody {
	return errorBody{Error: errorDetail{Status: status, Message: i18n.Localize(requestLanguage(r), message)}}
}

// writeError answers with the single-error shape; the status is repeated in the body as the spec shows.
func writeError(w http.ResponseWriter, r *http.Request, status int, message i18n.MessageID) {
	writeJSON(w, status, errorResponse(r, status, message))
}

// writeValidation answers 400 with every field's messages in the request's language.
func writeValidation(w http.ResponseWriter, r *http.Request, failures fieldErrors) {
	writeFieldErrors(w, r, http.StatusBadRequest, failures)
}

// writeFieldErrors answers the validation shape with another status, for the one endpoint whose every
// failure is a 404 (password reset, rule 9).
func writeFieldErrors(w http.ResponseWriter, r *http.Request, status int, failures fieldErrors) {
	lang := requestLanguage(r)
	body := validationBody{Errors: make(map[string][]string, len(failures))}
	for field, messages := range failures {
		for _, m := range messages {
			body.Errors[field] = append(body.Errors[field], i18n.Localize(lang, m))
		}
	}
	writeJSON(w, status, body)
}

// notFound answers unknown paths in the error shape, so front ends never parse an HTML or text 404.
func notFound() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, http.StatusNotFound, i18n.RouteNotFound)
	})
}

// methodNotAllowed answers a known path used with the wrong method: 405 in the error shape, with the Allow
// header RFC 9110 requires, listing the methods router serves at that path.
func methodNotAllowed(router *mux.Router) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", strings.Join(allowedMethods(router, r), ", "))
		writeError(w, r, http.StatusMethodNotAllowed, i18n.MethodNotAllowed)
	})
}

// recoverPanics turns a handler panic into a 500 in the error shape. The stack goes to the log with the
// request id, never to the client. http.ErrAbortHandler is re-raised: it is net/http's way to abort a
// response on purpose.
func recoverPanics(log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				recovered := recover()
				if recovered == nil {
					return
				}
				if err, ok := recovered.(error); ok && errors.Is(err, http.ErrAbortHandler) {
					panic(recovered)
				}
				state := stateOf(r)
				log.ErrorContext(r.Context(), "handler panicked", requestIDs(r),
					"panic", recovered, "stack", string(debug.Stack()))
				if state.response != nil && state.response.wroteHeader() {
					// Part of the response is out: the client sees a truncated body; nothing better to do.
					return
				}
				// Whatever cache validators the handler had set must not make the failure cacheable.
				w.Header().Del("ETag")
				w.Header().Del("Cache-Control")
				writeError(w, r, http.StatusInternalServerError, i18n.InternalError)
			}()
			next.ServeHTTP(w, r)
		})
	}
}
