package main

import (
	"context"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/internal/auth"
	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// checkContext is what readModels needs of a test, or of one check of a property test (*rapid.T).
type checkContext interface {
	Helper()
	Fatalf(format string, args ...any)
	Context() context.Context
}

// readModels returns every table of every known projection as JSON text, rows in a stable order.
func readModels(t checkContext, db *sqlx.DB) map[string]string {
	t.Helper()
	tables := map[string]string{}
	for _, p := range knownProjections(auth.Keys{}, nil, nil, nil) {
		for _, table := range p.Tables {
			var rows string
			if err := db.GetContext(t.Context(), &rows, `SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY to_jsonb(t)::text), '[]')::text
				FROM `+pq.QuoteIdentifier(table)+` t`); err != nil {
				t.Fatalf("read %s: %v", table, err)
			}
			tables[table] = rows
		}
	}
	return tables
}

func openReadModels(t *testing.T, cfg config.Config) *sqlx.DB {
	t.Helper()
	db, err := pg.Open(t.Context(), cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func TestProjectionsRebuildRecomputesTheReadModels(t *testing.T) {
	t.Parallel()
	// given projections that applied the example catalog, whose tables are then damaged
	cfg := catalogStore(t)
	runProjectionsUntilCaughtUp(t, cfg)
	db := openReadModels(t, cfg)
	want := readModels(t, db)
	if want["catalog_sites"] == "[]" || want["catalog_plans"] == "[]" {
		t.Fatalf("the example catalog was not projected: %v", want)
	}
	for _, damage := range []string{`UPDATE catalog_sites SET name = 'bogus'`, `DELETE FROM catalog_plans`} {
		if _, err := db.ExecContext(t.Context(), damage); err != nil {
			t.Fatal(err)
		}
	}
	progressLine := regexp.MustCompile(`(?m)^(\S+): rebuilt (\d+)/(\d+) events(, \d+ events/s)?, done in \S+$`)

	// when one projection is rebuilt, then only its tables are repaired, with plain progress lines
	out, err := projectionsCLI(t, cfg, "rebuild", "catalog_sites.v1")
	if err != nil {
		t.Fatalf("rebuild: %v", err)
	}
	got := readModels(t, db)
	if got["catalog_sites"] != want["catalog_sites"] || got["catalog_plans"] != "[]" {
		t.Errorf("after rebuilding catalog_sites.v1: sites %s, plans %s", got["catalog_sites"], got["catalog_plans"])
	}
	if m := progressLine.FindStringSubmatch(out); m == nil || m[1] != "catalog_sites.v1" || m[2] != m[3] ||
		!strings.Contains(out, "catalog_sites.v1: swapped in, reflects the log up to ") {
		t.Errorf("rebuild output lacks a final progress line and the swap:\n%s", out)
	}

	// when every projection is rebuilt, then every read model is as the projections made it
	out, err = projectionsCLI(t, cfg, "rebuild", "--all")
	if err != nil {
		t.Fatalf("rebuild --all: %v", err)
	}
	if got := readModels(t, db); !maps.Equal(got, want) {
		t.Errorf("after rebuild --all:\n got %v\nwant %v", got, want)
	}
	// (all but the mail outbox, whose rows are mail to send: rebuilding it would send history again)
	rebuildable := slices.DeleteFunc(knownProjections(auth.Keys{}, nil, nil, nil), func(p projections.Projection) bool { return p.NoRebuild != "" })
	if n := len(progressLine.FindAllString(out, -1)); n != len(rebuildable) || n == len(knownProjections(auth.Keys{}, nil, nil, nil)) {
		t.Errorf("rebuild --all printed %d final progress lines, want %d:\n%s", n, len(rebuildable), out)
	}
	// (and says so)
	if !strings.Contains(out, "mail_outbox.v1: skipped, never rebuilt: its rows are mail to send") {
		t.Errorf("rebuild --all does not say it skipped the mail outbox:\n%s", out)
	}
	if _, err := projectionsCLI(t, cfg, "status", "--max-lag", "0"); err != nil {
		t.Errorf("status after the rebuilds: %v", err)
	}
}

func TestProjectionsRebuildRefusesWhatItDoesNotKnow(t *testing.T) {
	t.Parallel()
	known := "known: billing_deadlines.v1, catalog_commerce.v1, catalog_coupons.v1, catalog_ecommerce.v1, catalog_plans.v1, " +
		"catalog_segments.v1, catalog_sites.v1, customer_streams.v1, customers.v1, invoices.v1, mail_outbox.v1, " +
		"member_ip_ranges.v1, membership_seats.v1, newsletters.v1, order_payments.v1, orders.v1, payment_methods.v1, " +
		"seat_claims.v1, stock_levels.v1, subscription_cards.v1, subscription_payments.v1, subscriptions.v1"
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"unknown name", []string{"catalog_sites.v1", "plans.v9"}, `unknown projection "plans.v9" (` + known + `)`},
		{"neither names nor --all", nil, "name projections or pass --all, not both or neither (" + known + ")"},
		{"both names and --all", []string{"--all", "newsletters.v1"}, "not both or neither"},
		{"the mail outbox", []string{"mail_outbox.v1"}, "mail_outbox.v1 is never rebuilt"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// when rebuild is asked for it (no database is needed to refuse)
			_, _, err := runPelcro(t, append([]string{"projections", "rebuild"}, c.args...)...)

			// then it fails naming the known projections
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want it to contain %q", err, c.want)
			}
		})
	}
}
