package transport

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// readModelWaitLimit bounds how long a write waits for its read model before answering 503, and how long
// the answer may then take to read it.
const readModelWaitLimit = 10 * time.Second

// writeRetryAfter is the Retry-After of a write whose read model is not there yet, in seconds: a lagging
// projection usually catches up within it, so a front end can read the change back (or repeat the request
// under the same Idempotency-Key) without losing its user.
const writeRetryAfter = 5

// awaitWrite is read-your-writes for every write handler: after a command committed at pos, it waits (wait,
// wired by cmd/pelcro to the projections; transport never sees them) until the read model the answer comes
// from reflects it, so the answer and the client's next request see the
// change. It returns whether the handler may go on and answer.
//
// When the wait fails (the projection stopped on another event, the limit passed, the checkpoint could not
// be read) the write still stands, so it answers 503 with Retry-After and a message saying the change was
// saved (and asking for nothing: a repeat without the same idempotency key is a second write), never a 500
// that would make the client think it was lost. A repeat under the same idempotency key writes nothing
// twice (command ids derive from it) and answers once the read model caught up. A zero pos means the command wrote nothing: there is nothing to wait for.
//
// Warning: call it only after the command committed; before, the message would lie.
func awaitWrite(w http.ResponseWriter, r *http.Request, log *slog.Logger, wait commands.ReadModelWait, pos commands.Written) bool {
	if pos.IsZero() {
		return true
	}
	ctx, cancel := context.WithTimeout(r.Context(), readModelWaitLimit)
	defer cancel()
	err := wait(ctx, pos)
	if err == nil {
		return true
	}
	log.WarnContext(r.Context(), "write committed but its read model did not reflect it; answering 503",
		requestIDs(r), "position", pos.String(), "error", err)
	w.Header().Set("Retry-After", strconv.Itoa(writeRetryAfter))
	writeError(w, r, http.StatusServiceUnavailable, i18n.WriteSavedNotVisibleYet)
	return false
}
