package transport

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// shortTimeouts are DefaultServerTimeouts scaled down so a test can wait them out.
var shortTimeouts = ServerTimeouts{
	ReadHeader: 200 * time.Millisecond,
	Read:       400 * time.Millisecond,
	Write:      2 * time.Second,
	Idle:       400 * time.Millisecond,
}

// startServer serves handler with timeouts on a loopback port until the test ends, and returns its address.
func startServer(t *testing.T, handler http.Handler, timeouts ServerTimeouts) string {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	server := NewServer(handler, timeouts)
	served := make(chan error, 1)
	go func() { served <- server.Serve(listener) }()
	t.Cleanup(func() {
		_ = server.Close()
		if err := <-served; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	})
	return listener.Addr().String()
}

// readsBody answers 200 once it has read the whole body, 400 when reading fails.
var readsBody = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	if _, err := io.Copy(io.Discard, r.Body); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusOK)
})

func TestServerCutsOffClientsThatHoldAConnection(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// sent is what the client writes before it falls silent.
		sent string
		// readAnswer reads one response first, as a keep-alive client does before it idles.
		readAnswer bool
	}{
		{name: "headers never finished", sent: "POST /upload HTTP/1.1\r\nHost: api\r\n"},
		{name: "a body that stops arriving", sent: "POST /upload HTTP/1.1\r\nHost: api\r\nContent-Length: 1000\r\n\r\n" +
			strings.Repeat("x", 100)},
		{name: "an idle keep-alive connection", sent: "POST /upload HTTP/1.1\r\nHost: api\r\nContent-Length: 2\r\n\r\nok",
			readAnswer: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// given the server with its timeouts, and a client that sends part of a request (or a whole one)
			conn, err := net.Dial("tcp", startServer(t, readsBody, shortTimeouts))
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := io.WriteString(conn, tt.sent); err != nil {
				t.Fatal(err)
			}
			reader := bufio.NewReader(conn)
			if tt.readAnswer {
				resp, err := http.ReadResponse(reader, nil)
				if err != nil || resp.StatusCode != http.StatusOK {
					t.Fatalf("first answer = %v, %v", resp, err)
				}
				_ = resp.Body.Close()
			}

			// when it then falls silent, far longer than any timeout
			_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
			_, err = io.Copy(io.Discard, reader)

			// then the server closed the connection on its own: the client read to the end, it did not time out
			if errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatal("the server kept the connection of a silent client open")
			}
			if err != nil {
				t.Fatalf("reading until the server closes: %v", err)
			}
		})
	}
}

func TestServerAnswersAClientThatSendsInTime(t *testing.T) {
	t.Parallel()
	// given the server with its timeouts
	address := startServer(t, readsBody, shortTimeouts)

	// when a client sends a body within them, twice on one connection
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
	defer client.CloseIdleConnections()
	for range 2 {
		resp, err := client.Post("http://"+address+"/upload", "text/plain", strings.NewReader("hello"))

		// then it is answered
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status = %d", resp.StatusCode)
		}
	}
}
