package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/auth"
	"github.com/pelcro-oss/pelcro-api/internal/config"
)

// catalogStore is a fresh database (read models and event store) holding the imported example catalog.
func catalogStore(t *testing.T) config.Config {
	t.Helper()
	return catalogStoreFrom(t, "../../examples/catalog.yaml")
}

// catalogStoreFrom is catalogStore with the catalog file at path.
func catalogStoreFrom(t *testing.T, path string) config.Config {
	t.Helper()
	cfg := config.Config{DatabaseURL: migratedDatabase(t)}
	if _, errOut, err := runPelcro(t, "--database-url", cfg.DatabaseURL, "--eventstore-url", "",
		"catalog", "import", path); err != nil {
		t.Fatalf("catalog import: %v\n%s", err, errOut)
	}
	return cfg
}

// runProjectionsUntilCaughtUp runs the projections of `pelcro serve` until every one reflects the whole log.
func runProjectionsUntilCaughtUp(t *testing.T, cfg config.Config) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	deps, err := openDependencies(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer deps.Close()
	runner, err := deps.newProjectionRunner(prometheus.NewRegistry(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	stop, err := startProjections(ctx, runner, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	for {
		rows, err := readProjectionRows(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if checkLag(rows, 0) == nil && rows[0].checkpoint != nil {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("projections did not catch up: %v", checkLag(rows, 0))
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// projectionsCLI runs `pelcro projections args…` against cfg's stores.
func projectionsCLI(t *testing.T, cfg config.Config, args ...string) (string, error) {
	t.Helper()
	out, errOut, err := runPelcro(t, append([]string{"--database-url", cfg.DatabaseURL, "--eventstore-url", "",
		"projections"}, args...)...)
	if err != nil {
		t.Logf("stderr: %s", errOut)
	}
	return out, err
}

// fields normalises a table's spacing so tests can compare lines.
func fields(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestProjectionsListAndStatusShowCheckpointsAndLag(t *testing.T) {
	t.Parallel()
	// given an imported catalog that no projection has applied yet
	cfg := catalogStore(t)
	out, err := projectionsCLI(t, cfg, "list")
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	if want := fields("catalog_sites.v1 v1 - " + logLength(t, cfg) + " not started"); !strings.Contains(fields(out), want) {
		t.Errorf("list before the run lacks %q:\n%s", want, out)
	}
	if _, err := projectionsCLI(t, cfg, "status", "--max-lag", "0"); err == nil ||
		!strings.Contains(err.Error(), fmt.Sprintf("%d projection(s) more than 0 events behind", len(knownProjections(auth.Keys{}, nil, nil, nil)))) {
		t.Errorf("status before the run: err = %v, want every projection behind", err)
	}

	// when the projections ran
	runProjectionsUntilCaughtUp(t, cfg)

	// then every projection is listed caught up at its checkpoint, and status succeeds
	out, err = projectionsCLI(t, cfg, "status", "--max-lag", "0")
	if err != nil {
		t.Fatalf("status after the run: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 23 || fields(lines[0]) != "NAME VERSION CHECKPOINT LAG (EVENTS) STATE UPDATED" {
		t.Fatalf("status output:\n%s", out)
	}
	for i, name := range []string{"billing_deadlines.v1", "catalog_commerce.v1", "catalog_coupons.v1", "catalog_ecommerce.v1",
		"catalog_plans.v1", "catalog_segments.v1", "catalog_sites.v1", "customer_streams.v1", "customers.v1", "invoices.v1",
		"mail_outbox.v1", "member_ip_ranges.v1", "membership_seats.v1", "newsletters.v1", "order_payments.v1", "orders.v1",
		"payment_methods.v1", "seat_claims.v1", "stock_levels.v1", "subscription_cards.v1", "subscription_payments.v1", "subscriptions.v1"} {
		columns := strings.Fields(lines[i+1])
		if len(columns) != 7 || columns[0] != name || columns[1] != "v1" || columns[3] != "0" ||
			columns[4]+" "+columns[5] != "caught up" {
			t.Errorf("status line %d = %q, want %s v1 <checkpoint> 0 caught up <time>", i+1, lines[i+1], name)
		}
		if _, err := time.Parse(time.RFC3339, columns[6]); err != nil {
			t.Errorf("status line %d: updated: %v", i+1, err)
		}
	}
}

// logLength reads the whole (small) log in one page and returns how many events it holds, as text.
func logLength(t *testing.T, cfg config.Config) string {
	t.Helper()
	deps, err := openDependencies(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer deps.Close()
	events, err := deps.EventStore.ReadAll(t.Context(), eventstore.AllStart(), 10_000)
	if err != nil {
		t.Fatal(err)
	}
	return strconv.Itoa(len(events))
}

func TestCountEventsAfterStopsAtItsLimit(t *testing.T) {
	t.Parallel()
	// given the imported catalog's log
	cfg := catalogStore(t)
	deps, err := openDependencies(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer deps.Close()
	total, _ := strconv.Atoi(logLength(t, cfg))
	cases := []struct {
		limit int
		want  string
	}{{total, strconv.Itoa(total)}, {total - 1, ">" + strconv.Itoa(total-1)}, {1, ">1"}}
	for _, c := range cases {
		// when counted up to a limit, then it counts exactly or reports more than the limit
		got, err := countEventsAfter(t.Context(), deps.EventStore, eventstore.AllStart(), c.limit)
		if err != nil || got.String() != c.want {
			t.Errorf("count up to %d = %v (%v), want %s", c.limit, got, err, c.want)
		}
	}
}
