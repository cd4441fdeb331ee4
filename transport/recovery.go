package transport

import (
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

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
				log.ErrorContext(r.Context(), "handler panicked", "request_id", state.id,
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
