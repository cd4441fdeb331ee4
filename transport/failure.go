package transport

import (
	"log/slog"
	"net/http"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// internalError logs a failure the client cannot act on, with the request id that ties the log line to the
// response, and answers 500 in the error shape without any detail.
func internalError(w http.ResponseWriter, r *http.Request, log *slog.Logger, what string, err error) {
	log.ErrorContext(r.Context(), what, requestIDs(r), "error", err)
	writeError(w, r, http.StatusInternalServerError, i18n.InternalError)
}
