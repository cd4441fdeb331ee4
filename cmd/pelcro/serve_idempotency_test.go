package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
)

func TestServeHonoursIdempotencyKeysAcrossInstances(t *testing.T) {
	t.Parallel()
	// given two instances on one database with the example catalog
	cfg := configWithDemoCatalog(t)
	first, second := startServer(t, cfg), startServer(t, cfg)
	getUntilOK(t, first+"/api/v1/sdk/site?site_id=1232")
	getUntilOK(t, second+"/api/v1/sdk/site?site_id=1232")
	subscribe := func(base string) (*http.Response, string) {
		req, err := http.NewRequest(http.MethodPost, base+"/api/v1/sdk/newsletter?site_id=1232",
			strings.NewReader(`{"email":"ann@example.com"}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", "subscribe-ann")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, string(body)
	}
	// when a subscription is sent to one instance and retried on the other
	created, createdBody := subscribe(first)
	retried, retriedBody := subscribe(second)
	// then the retry replays the first answer instead of being refused as a second subscription
	if created.StatusCode != http.StatusOK || retried.StatusCode != http.StatusOK || retriedBody != createdBody ||
		retried.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("first %d %s; retry %d %s (replayed %q)", created.StatusCode, createdBody, retried.StatusCode,
			retriedBody, retried.Header.Get("Idempotent-Replayed"))
	}
}

// configWithDemoCatalog is a fresh database holding the example catalog.
func configWithDemoCatalog(t *testing.T) config.Config {
	t.Helper()
	cfg := config.Config{DatabaseURL: pgtest.NewDatabase(t)}
	if imported, err := importDemoCatalog(t.Context(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil || !imported {
		t.Fatalf("demo import: %v %v", imported, err)
	}
	return cfg
}

// startServer runs `pelcro serve` on a free port until the test ends and returns its base URL.
func startServer(t *testing.T, cfg config.Config) string {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- serveOn(ctx, cfg, listener) }()
	t.Cleanup(func() {
		stop()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return fmt.Sprintf("http://%s", listener.Addr())
}
