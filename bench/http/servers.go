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
	"github.com/pelcro-oss/pelcro-api/projections"
	catalogprojections "github.com/pelcro-oss/pelcro-api/projections/catalog"
	"github.com/pelcro-oss/pelcro-api/projections/memberip"
	subscriptionprojection "github.com/pelcro-oss/pelcro-api/projections/subscription"
)

// startRunner runs the projections the benchmarked reads come from (the catalog's, the subscriptions and
// the members' IP ranges), as `pelcro serve` does, until stop is called.
func startRunner(db *benchenv.Database) (*projections.Runner, func(), error) {
	cfg, err := memberConfig(db)
	if err != nil {
		return nil, nil, err
	}
	cfg.Logger = slog.New(slog.NewJSONHandler(io.Discard, nil))
	runner, err := projections.NewRunner(cfg,
		append(catalogprojections.All(), subscriptionprojection.Projection(), memberip.Projection())...)
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = runner.Run(ctx) }()
	return runner, func() { cancel(); <-done }, nil
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
