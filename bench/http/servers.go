package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"
	"github.com/pelcro-oss/pelcro-api/queries"
	"github.com/pelcro-oss/pelcro-api/transport"
)

// bareBody is what the baseline handler answers: a constant JSON body the size of a small API answer.
var bareBody = []byte(`{"data":[{"id":1,"nickname":"Campus plan 0","amount":0,"currency":"usd","interval":"year"}]}`)

// bareHandler is the baseline: net/http doing nothing but writing a constant JSON body.
func bareHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(bareBody)
	})
}

// apiHandler is the real router over the catalog read model, as `pelcro serve` wires it (middleware,
// metrics, access log), except that access-log lines are formatted and then discarded rather than written
// to a terminal.
func apiHandler(db *benchenv.Database) http.Handler {
	catalog := queries.NewCatalog(db.DB)
	return transport.NewRouter(transport.Dependencies{
		Sites:   transport.CatalogSites(catalog),
		Catalog: catalog,
		Logger:  slog.New(slog.NewJSONHandler(io.Discard, nil)),
	})
}

// server is a real http.Server on a loopback port of its own.
type server struct {
	base string // http://127.0.0.1:<port>
	srv  *http.Server
	done chan error
}

// serve starts h on 127.0.0.1 with an ephemeral port.
func serve(h http.Handler) (*server, error) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &server{base: "http://" + listener.Addr().String(), done: make(chan error, 1),
		srv: &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}}
	go func() { s.done <- s.srv.Serve(listener) }()
	return s, nil
}

// close shuts the server down, waiting for requests in flight.
func (s *server) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		return err
	}
	if err := <-s.done; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
