package transport

import (
	"net/http"
	"time"
)

// ServerTimeouts bound how long one connection may hold the server, so clients that send slowly, read
// slowly or idle cannot pile up connections until the process runs out of them.
type ServerTimeouts struct {
	// ReadHeader is the time to send the request line and headers.
	ReadHeader time.Duration
	// Read is the time to send the whole request, body included, counted from its first byte.
	Read time.Duration
	// Write is the time from the end of the headers to the end of the answer: the body's upload, the
	// handler (a write waits up to customerWaitLimit for its read model) and the answer's download.
	Write time.Duration
	// Idle is how long a keep-alive connection may wait for its next request.
	Idle time.Duration
}

// DefaultServerTimeouts are what `pelcro serve` uses (docs/http-conventions.md, "Server timeouts").
// Read allows the largest ordinary body (DefaultMaxBodyBytes) at about 35 KB/s; Write leaves the handler
// 30 s past a body read in full time, three times customerWaitLimit; Idle outlasts the 60 s idle timeout
// of common load balancers, so they close first and never send into a connection the server is closing.
// The profile photo upload alone gets longer, once its customer is authenticated (allowSlowUpload).
var DefaultServerTimeouts = ServerTimeouts{
	ReadHeader: 10 * time.Second,
	Read:       30 * time.Second,
	Write:      60 * time.Second,
	Idle:       120 * time.Second,
}

// NewServer returns the HTTP server of handler with timeouts.
func NewServer(handler http.Handler, timeouts ServerTimeouts) *http.Server {
	return &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: timeouts.ReadHeader,
		ReadTimeout:       timeouts.Read,
		WriteTimeout:      timeouts.Write,
		IdleTimeout:       timeouts.Idle,
	}
}

// Time a profile photo upload may take (pictureBodyBytes, 8 MiB and a little): its body at about 47 KB/s,
// a slow mobile uplink, then the answer, which waits for the read model like any write.
const (
	pictureUploadReadTime  = 3 * time.Minute
	pictureUploadWriteTime = pictureUploadReadTime + 30*time.Second
)

// allowSlowUpload pushes the connection's deadlines of this request out to the photo upload's own
// (pictureUploadReadTime), from now. Call it only once the customer is authenticated: an anonymous client
// must not get a long-lived connection for the asking. A writer that cannot move deadlines (a test
// recorder) keeps the server's.
func allowSlowUpload(w http.ResponseWriter) {
	controller, now := http.NewResponseController(w), time.Now()
	_ = controller.SetReadDeadline(now.Add(pictureUploadReadTime))
	_ = controller.SetWriteDeadline(now.Add(pictureUploadWriteTime))
}
