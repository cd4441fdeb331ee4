package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore/esdbtest"
	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
)

func TestServeAnswersReadyzAndStopsGracefully(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name          string
		eventStoreURL func(t *testing.T) string
	}{
		{"postgres event store by default", func(*testing.T) string { return "" }},
		{"eventstoredb selected by an esdb URL", func(t *testing.T) string { return esdbtest.Start(t).URL() }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a fresh database server and the chosen event store
			cfg := config.Config{DatabaseURL: pgtest.NewDatabase(t), EventStoreURL: tc.eventStoreURL(t)}
			addr, stop := serveInBackground(t, cfg)

			// when the readiness probe asks
			status, body := pollReadyz(t, fmt.Sprintf("http://%s/readyz", addr))

			// then it is ready, and SIGTERM (context end) stops the server without error
			if status != http.StatusOK || body["status"] != "ready" {
				t.Fatalf("readyz = %d %v", status, body)
			}
			if err := stop(); err != nil {
				t.Fatalf("serve returned %v", err)
			}
		})
	}
}

// serveInBackground runs the server on a free local port. stop ends it as SIGTERM does and returns what it
// returned, failing the test when it does not stop within 30 s.
func serveInBackground(t *testing.T, cfg config.Config) (addr string, stop func() error) {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- serveOn(ctx, cfg, listener) }()
	return listener.Addr().String(), func() error {
		cancel()
		select {
		case err := <-served:
			return err
		case <-time.After(30 * time.Second):
			t.Fatal("server did not stop")
			return nil
		}
	}
}

// pollReadyz asks until the server answers (migrations run before it listens) or 30 s pass.
func pollReadyz(t *testing.T, url string) (int, map[string]any) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(url)
		if err == nil {
			defer resp.Body.Close()
			var body map[string]any
			_ = json.NewDecoder(resp.Body).Decode(&body)
			return resp.StatusCode, body
		}
		if time.Now().After(deadline) {
			t.Fatalf("readyz never answered: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
