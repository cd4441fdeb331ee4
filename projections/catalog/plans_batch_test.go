package catalog_test

import (
	"context"
	"maps"
	"testing"

	"github.com/jmoiron/sqlx"

	aggregatescatalog "github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
	"github.com/pelcro-oss/pelcro-api/projections"
	"github.com/pelcro-oss/pelcro-api/projections/catalog"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

func TestThePlansBatchLeavesWhatTheHandlersLeave(t *testing.T) {
	t.Parallel()
	// given a catalog defined, then changed (a free plan retired, a paid one made free), then reactivated
	env := catalogtest.New(t)
	c := catalogtest.Catalog()
	env.Import(c)
	inactive, active := false, true
	c.Products[0].Plans[0].Active = &inactive
	c.Products[0].Plans[1].Amount = 0
	env.Import(c)
	c.Products[0].Plans[0].Active = &active
	env.Import(c)
	events, err := env.Store.ReadAll(context.Background(), eventstore.AllStart(), 100_000)
	if err != nil {
		t.Fatal(err)
	}
	plans := catalog.Plans()

	// when the log is applied one event per transaction through the handlers into one database, and
	// rebuilt through the Batch, in one batch, into another
	byHandler := projectiontest.ReadModels(t)
	fold, err := projections.NewFold(aggregatescatalog.Events, plans)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range events {
		projectiontest.InTx(t, byHandler, func(ctx context.Context, tx *sqlx.Tx) error { return fold.Apply(ctx, tx, ev) })
	}
	cfg := projections.Config{Store: env.Store, DB: env.DB, Registry: aggregatescatalog.Events}
	if _, err := projections.Rebuild(context.Background(), cfg, plans); err != nil {
		t.Fatal(err)
	}

	// then both hold the same rows, free-access rows included
	handled, batched := snapshotOf(t, byHandler, plans.Tables), snapshotOf(t, env.DB, plans.Tables)
	if !maps.Equal(handled, batched) {
		t.Errorf("through the handlers:\n%v\nthrough the batch:\n%v", handled, batched)
	}
	if rowCount(t, batched, "catalog_plan_domains") == 0 || rowCount(t, batched, "catalog_plan_ip_ranges") == 0 {
		t.Errorf("no free-access rows to compare: %v", batched)
	}
}
