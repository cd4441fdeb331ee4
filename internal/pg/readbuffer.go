package pg

import (
	"bufio"
	"context"
	"net"
	"time"
)

// readBufferSize is how much of the server's output one read from a connection's socket may take. lib/pq
// reads through a bufio.Reader of 4 KiB, so a page of the log (10,000 event rows, megabytes of hex-encoded
// payloads) cost thousands of read system calls and as many waits in the network poller: reading the log
// was a fifth of a replay's Go CPU, a quarter of it in those calls. Each open connection holds one such
// buffer (2 MiB for a full pool of 32).
const readBufferSize = 64 << 10

// readBufferingDialer is lib/pq's default dialer with connections that read their socket readBufferSize at
// a time (bufferedConn).
type readBufferingDialer struct{ d net.Dialer }

func (r readBufferingDialer) Dial(network, address string) (net.Conn, error) {
	return r.DialContext(context.Background(), network, address)
}

func (r readBufferingDialer) DialTimeout(network, address string, timeout time.Duration) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return r.DialContext(ctx, network, address)
}

func (r readBufferingDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	c, err := r.d.DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	return &bufferedConn{Conn: c, r: bufio.NewReaderSize(c, readBufferSize)}, nil
}

// bufferedConn reads through a buffer; everything else (writes, deadlines, Close) goes to the connection.
// Warning: bytes the buffer holds are invisible to anything that reads the bare connection, so the
// connection must not be handed on without it (lib/pq's TLS upgrade wraps the bufferedConn itself, after
// reading the server's one-byte answer to its SSLRequest, the only bytes the server sends before the TLS
// handshake).
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *bufferedConn) Read(p []byte) (int, error) { return c.r.Read(p) }
