package catalog_test

import (
	"context"
	"encoding/json"
	"maps"
	"testing"

	"github.com/jmoiron/sqlx"

	aggregatescatalog "github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
	"github.com/pelcro-oss/pelcro-api/projections"
	"github.com/pelcro-oss/pelcro-api/projections/catalog"
)

// snapshot reads every table of every catalog projection as JSON, rows ordered, for comparisons.
func snapshot(t *testing.T, env *catalogtest.Env) map[string]string {
	t.Helper()
	tables := map[string]string{}
	for _, p := range catalog.All() {
		maps.Copy(tables, snapshotOf(t, env.DB, p.Tables))
	}
	return tables
}

// snapshotOf reads the tables of db as JSON, rows ordered.
func snapshotOf(t *testing.T, db *sqlx.DB, tables []string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, table := range tables {
		var rows []byte
		query := `SELECT coalesce(json_agg(t ORDER BY t::text), '[]') FROM ` + table + ` t`
		if err := db.GetContext(context.Background(), &rows, query); err != nil {
			t.Fatalf("snapshot %s: %v", table, err)
		}
		out[table] = string(rows)
	}
	return out
}

func rowCount(t *testing.T, tables map[string]string, table string) int {
	t.Helper()
	var rows []json.RawMessage
	if err := json.Unmarshal([]byte(tables[table]), &rows); err != nil {
		t.Fatalf("decode %s: %v", table, err)
	}
	return len(rows)
}

func TestReplayFromAResetCheckpointChangesNothing(t *testing.T) {
	t.Parallel()
	// Given the fixture catalog projected once
	env := catalogtest.New(t)
	pos := env.Import(catalogtest.Catalog())
	env.WaitFor(env.Start(), pos)
	before := snapshot(t, env)
	wantRows := map[string]int{"catalog_sites": 2, "catalog_products": 2, "catalog_plans": 5,
		"catalog_plan_domains": 4, "catalog_plan_ip_ranges": 5, "catalog_ecommerce_products": 1, "catalog_skus": 2,
		"catalog_coupons": 1, "catalog_segments": 1}
	for table, want := range wantRows {
		if got := rowCount(t, before, table); got != want {
			t.Errorf("%s: %d rows, want %d: %s", table, got, want, before[table])
		}
	}

	// When the checkpoints are reset and a new runner applies the whole log again
	if _, err := env.DB.ExecContext(context.Background(), `DELETE FROM projection_checkpoints`); err != nil {
		t.Fatal(err)
	}
	env.WaitFor(env.Start(), pos)

	// Then every table holds exactly what it held
	after := snapshot(t, env)
	for table, rows := range before {
		if after[table] != rows {
			t.Errorf("%s changed on replay:\nbefore %s\nafter  %s", table, rows, after[table])
		}
	}
}

func TestRetiringAPlanRemovesItsFreeAccessRows(t *testing.T) {
	t.Parallel()
	// Given the fixture catalog projected by a running runner
	env := catalogtest.New(t)
	runner := env.Start()
	c := catalogtest.Catalog()
	env.Project(runner, c)

	// When the free plan is retired and the paid plan becomes free
	inactive := false
	c.Products[0].Plans[0].Active = &inactive
	c.Products[0].Plans[1].Amount = 0
	env.Project(runner, c)

	// Then only the formerly paid plan's domain and range remain on the site (with the wildcard plan's)
	var domains []string
	err := env.DB.SelectContext(context.Background(), &domains,
		`SELECT plan_id || ':' || domain || ':' || wildcard FROM catalog_plan_domains WHERE site_id = $1 ORDER BY 1`,
		catalogtest.SiteID)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"102:paid.edu:false", "104:wild.org:true"}
	if len(domains) != len(want) || domains[0] != want[0] || domains[1] != want[1] {
		t.Errorf("domains = %v, want %v", domains, want)
	}
}

func TestRebuildRecomputesTheSameTables(t *testing.T) {
	t.Parallel()
	// Given the fixture catalog projected by a running runner
	env := catalogtest.New(t)
	runner := env.Start()
	env.Project(runner, catalogtest.Catalog())
	before := snapshot(t, env)

	// When every catalog projection is rebuilt into fresh tables and swapped in
	for _, p := range catalog.All() {
		cfg := projections.Config{Store: env.Store, DB: env.DB, Registry: aggregatescatalog.Events}
		if _, err := projections.Rebuild(context.Background(), cfg, p); err != nil {
			t.Fatalf("rebuild %s: %v", p.Name, err)
		}
	}

	// Then the tables hold what the live projection had written
	after := snapshot(t, env)
	for table, rows := range before {
		if after[table] != rows {
			t.Errorf("%s differs after rebuild:\nbefore %s\nafter  %s", table, rows, after[table])
		}
	}
}
