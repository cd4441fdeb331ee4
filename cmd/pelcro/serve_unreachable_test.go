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

// readinessBudget is /readyz's answer time (transport.readinessTimeout) and a margin for a loaded machine.
const readinessBudget = 2*time.Second + 3*time.Second

func TestServeAnswersReadyzAndStopsWhateverTheEventStoreDoes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// node returns the event store URL and, once the server answered, makes the node unreachable.
		node func(t *testing.T) (url string, goAway func())
	}{
		{"the node stops after the server started", func(t *testing.T) (string, func()) {
			server := esdbtest.Start(t)
			return server.URL(), server.Close
		}},
		{"nothing ever listens at the node's address", func(t *testing.T) (string, func()) {
			listener, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			_ = listener.Close()
			return "esdb://" + listener.Addr().String() + "?tls=false", func() {}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given the API serving on an EventStoreDB node that then becomes unreachable
			storeURL, goAway := tc.node(t)
			cfg := config.Config{DatabaseURL: pgtest.NewDatabase(t), EventStoreURL: storeURL}
			listener, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			ctx, stop := context.WithCancel(context.Background())
			defer stop()
			served := make(chan error, 1)
			go func() { served <- serveOn(ctx, cfg, listener) }()
			readyz := fmt.Sprintf("http://%s/readyz", listener.Addr())
			pollReadyz(t, readyz)
			goAway()

			// when the readiness probe asks, several times
			client := &http.Client{Timeout: readinessBudget}
			for range 3 {
				resp, err := client.Get(readyz)

				// then it answers 503 within its budget, naming the event store
				if err != nil {
					t.Fatalf("readyz did not answer within %v: %v", readinessBudget, err)
				}
				var body struct {
					Status   string            `json:"status"`
					Failures map[string]string `json:"failures"`
				}
				_ = json.NewDecoder(resp.Body).Decode(&body)
				_ = resp.Body.Close()
				if resp.StatusCode != http.StatusServiceUnavailable || body.Failures["eventstore"] == "" {
					t.Fatalf("readyz = %d %+v, want 503 naming the eventstore", resp.StatusCode, body)
				}
			}

			// and when SIGTERM comes (the context ends), then the server stops within its grace period
			stop()
			select {
			case err := <-served:
				if err != nil {
					t.Fatalf("serve returned %v", err)
				}
			case <-time.After(shutdownGrace):
				t.Fatalf("the server did not stop within its %v grace period", shutdownGrace)
			}
		})
	}
}
