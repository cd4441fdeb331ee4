package transport

import "net/http"

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
