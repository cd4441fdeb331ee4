package transport

import (
	"bytes"
	"net/http"

	"github.com/pelcro-oss/pelcro-api/internal/idempotency"
)

// idempotentReplayedHeader marks an answer replayed from an earlier request with the same key (Stripe's
// name), so a client can tell a replay from a fresh run.
const idempotentReplayedHeader = "Idempotent-Replayed"

// replayedHeaders are the response headers a replay repeats: what describes the body. The request id,
// Vary and CORS headers belong to the retry itself and come from the middleware as usual.
var replayedHeaders = []string{"Content-Type", "Content-Language", "Cache-Control", "ETag", "Location"}

// keptAnswer says whether an answer is final for its key, so retries replay it. Every answer the handler
// gave is, success or refusal (Stripe keeps them all), except those a retry may change:
//   - 5xx: a failure of ours, or a write that committed while its read model had not caught up; a retry
//     runs the request again, its commands write nothing twice (same ids) and it waits again;
//   - 409: a conflict with concurrent writers, which a retry resolves;
//   - 429: a throttle that lifts with time.
func keptAnswer(status int) bool {
	return status < http.StatusInternalServerError && status != http.StatusConflict &&
		status != http.StatusTooManyRequests
}

// answerRecorder passes the handler's answer through to the client and keeps a copy to store.
type answerRecorder struct {
	http.ResponseWriter
	status int
	header http.Header
	body   bytes.Buffer
}

func (a *answerRecorder) WriteHeader(status int) {
	if a.status == 0 {
		a.status = status
		a.header = http.Header{}
		for _, name := range replayedHeaders {
			if values := a.ResponseWriter.Header().Values(name); len(values) > 0 {
				a.header[name] = append([]string(nil), values...)
			}
		}
	}
	a.ResponseWriter.WriteHeader(status)
}

func (a *answerRecorder) Write(b []byte) (int, error) {
	if a.status == 0 {
		a.WriteHeader(http.StatusOK)
	}
	a.body.Write(b)
	return a.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the server's writer.
func (a *answerRecorder) Unwrap() http.ResponseWriter { return a.ResponseWriter }

// kept returns the answer to store, and whether it should be (keptAnswer).
func (a *answerRecorder) kept() (idempotency.Response, bool) {
	status := a.status
	if status == 0 {
		status = http.StatusOK
		a.header = http.Header{}
	}
	return idempotency.Response{Status: status, Header: a.header, Body: a.body.Bytes()}, keptAnswer(status)
}

// replay sends a stored answer: its status, headers and body exactly as first sent.
func replay(w http.ResponseWriter, answer idempotency.Response) {
	for name, values := range answer.Header {
		w.Header()[name] = values
	}
	w.Header().Set(idempotentReplayedHeader, "true")
	w.WriteHeader(answer.Status)
	_, _ = w.Write(answer.Body)
}
