package transport

import (
	"cmp"
	"log/slog"
	"net/http"

	"github.com/google/uuid"
)

// requestIDHeader carries the client's request id in, and back out, so a front end or a proxy can
// correlate its own logs with ours. It is canonical, so it indexes header maps directly.
const requestIDHeader = "X-Request-Id"

// maxRequestIDLength bounds an incoming id: longer ones are dropped rather than written into every log line.
const maxRequestIDLength = 128

// beginRequest is the outermost middleware: it gives the request a server-generated id, adopts a sane
// incoming X-Request-Id as the client's id, echoes the client's id (or ours when it sent none), and
// installs the request state and the status recorder every later middleware relies on.
//
// Warning: only the server's id may reach the events (their correlation id, see commandEnvelope). The
// client's id is whatever the client chose, personal data included, and the event log keeps it for ever
// out of erasure's reach (docs/security.md); it goes to the logs only, next to ours (requestIDs).
func beginRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		clientID := r.Header.Get(requestIDHeader)
		if !saneRequestID(clientID) {
			clientID = ""
		}
		r, state := withState(r, uuid.NewString())
		state.clientID = clientID
		w.Header()[requestIDHeader] = []string{cmp.Or(clientID, state.id)}
		state.recorder = statusRecorder{ResponseWriter: w}
		state.response = &state.recorder
		next.ServeHTTP(state.response, r)
	})
}

// requestIDs is the attribute every log line about a request carries: request_id, the server's id (the
// events' correlation id), and client_request_id, the client's X-Request-Id when it sent a sane one, so
// support can go from the id a client reports to the events its request caused. It is a group without a
// name, which slog handlers inline.
func requestIDs(r *http.Request) slog.Attr {
	state := stateOf(r)
	if state.clientID == "" {
		return slog.String("request_id", state.id)
	}
	return slog.GroupAttrs("", slog.String("request_id", state.id), slog.String("client_request_id", state.clientID))
}

// saneRequestID accepts 1 to 128 characters from a conservative set (letters, digits and -_.:+/=), which
// covers UUIDs, ULIDs, trace ids and base64 ids, and keeps log injection (newlines, quotes) out.
func saneRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLength {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-' || c == '_' || c == '.' || c == ':' || c == '+' || c == '/' || c == '=':
		default:
			return false
		}
	}
	return true
}

// statusRecorder remembers what was sent, for the access log, the metrics and panic recovery (which may only
// write an error while nothing has been sent yet).
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

// wroteHeader reports whether the status line has gone out.
func (s *statusRecorder) wroteHeader() bool { return s.status != 0 }

// WriteHeader records the first status; later calls are ignored as net/http ignores them.
func (s *statusRecorder) WriteHeader(status int) {
	if s.status == 0 {
		s.status = status
		s.ResponseWriter.WriteHeader(status)
	}
}

// Write records an implicit 200 and counts the bytes.
func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.WriteHeader(http.StatusOK)
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

// finalStatus is the status the client received; a handler that wrote nothing sent a 200.
func (s *statusRecorder) finalStatus() int {
	if s.status == 0 {
		return http.StatusOK
	}
	return s.status
}

// Unwrap lets http.ResponseController reach the server's writer (flush, deadlines).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
