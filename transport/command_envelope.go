package transport

import (
	"net/http"
	"strconv"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/commands"
)

// commandEnvelope is what the commands of a request learn about it. The command id is the request's
// command base plus the operation, so the several commands one request may issue (a profile update and the
// verification link it mails) stay distinct. The base comes from the Idempotency-Key when the request has
// one (see idempotent), so a retry proposes the same event ids and the store writes nothing twice;
// otherwise it is random, drawn once per request: every request without a key is a new command, which
// may decide on the state cache alone, and whose ids are remembered for the request (commands.Envelope.Drawn).
// The correlation id is the server's request id, never the client's X-Request-Id: the events keep their
// metadata for ever, out of erasure's reach, and a client may put personal data in its own id (the logs tie
// the two, see requestIDs). Nor may X-Request-Id become part of the command id: a client reusing one for a
// different request would have that request silently taken for a retry of the first.
func commandEnvelope(r *http.Request, operation string) commands.Envelope {
	state := stateOf(r)
	if state.commandBase == "" {
		state.commandBase, state.drawnIDs = uuid.NewString(), &commands.DrawnIDs{}
	}
	env := commands.Envelope{CommandID: state.commandBase + ":" + operation, CorrelationID: state.id}
	if state.drawnIDs != nil {
		env = env.Drawn(state.drawnIDs)
	}
	if site, ok := requestSite(r); ok {
		env.SiteID = strconv.FormatInt(site.ID, 10)
	}
	if p, ok := requestPrincipal(r); ok {
		env.Actor = "customer:" + strconv.FormatInt(p.CustomerID, 10)
	}
	return env
}
