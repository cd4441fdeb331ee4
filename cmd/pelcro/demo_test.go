package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
)

func TestServeDemoImportsTheExampleCatalogIntoAnEmptyStoreOnly(t *testing.T) {
	t.Parallel()
	// given an empty store
	cfg := config.Config{DatabaseURL: pgtest.NewDatabase(t)}

	// when the server starts in demo mode
	imported, err := importDemoCatalog(t.Context(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil || !imported {
		t.Fatalf("first demo start: imported %v, err %v", imported, err)
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- serveOn(ctx, cfg, listener) }()

	// then it serves the example's sites
	body := getUntilOK(t, fmt.Sprintf("http://%s/api/v1/sdk/site?site_id=1232", listener.Addr()))
	if !strings.Contains(body, "Example Publication") {
		t.Errorf("site 1232 = %s", body)
	}
	stop()
	if err := <-served; err != nil {
		t.Fatalf("serve: %v", err)
	}
	events := logLength(t, cfg)

	// when it starts in demo mode again, then it imports nothing and says why
	var logged bytes.Buffer
	imported, err = importDemoCatalog(t.Context(), cfg, slog.New(slog.NewTextHandler(&logged, nil)))
	if err != nil || imported || !strings.Contains(logged.String(), "the event store already holds events") {
		t.Errorf("second demo start: imported %v, err %v, logged %q", imported, err, logged.String())
	}
	if again := logLength(t, cfg); again != events {
		t.Errorf("the log grew from %s to %s events", events, again)
	}
}

func TestServeDemoFlagImportsIntoAnEmptyStoreBeforeServing(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// unrelatedEvent, when set, puts one event that is not from the catalog in the store first.
		unrelatedEvent bool
		wantImported   bool
	}{
		{"empty store", false, true},
		{"store already holding an event", true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// given the store
			cfg := config.Config{DatabaseURL: pgtest.NewDatabase(t)}
			if c.unrelatedEvent {
				appendUnrelatedEvent(t, cfg)
			}

			// when `pelcro serve --demo` starts (and here fails to listen, after the demo step)
			_, _, err := runPelcro(t, "--database-url", cfg.DatabaseURL, "--eventstore-url", "",
				"serve", "--demo", "--http-addr", "127.0.0.1:-1")

			// then the example catalog was imported into the empty store only
			if err == nil || !strings.Contains(err.Error(), "listen") {
				t.Errorf("serve err = %v, want a listen failure", err)
			}
			n := logLength(t, cfg)
			if imported := n != "0" && n != "1"; imported != c.wantImported {
				t.Errorf("the log holds %s events; want imported = %v", n, c.wantImported)
			}
		})
	}
}

func appendUnrelatedEvent(t *testing.T, cfg config.Config) {
	t.Helper()
	deps, err := setUpDependencies(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer deps.Close()
	if _, err := deps.EventStore.Append(t.Context(), "other-1", eventstore.Any(),
		eventstore.EventData{ID: uuid.New(), Type: "other.happened", Data: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
}

// getUntilOK asks url until it answers 200 (the projections apply the catalog in the background) or 30 s
// pass, and returns the body.
func getUntilOK(t *testing.T, url string) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(url)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return string(body)
			}
			err = fmt.Errorf("status %d: %s", resp.StatusCode, body)
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET %s never answered 200: %v", url, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
