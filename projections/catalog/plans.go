package catalog

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// PlansName is the products-and-plans projection's name and checkpoint key. Warning: changing it replays
// the whole log into its tables (see projections.Projection.Name).
const PlansName = "catalog_plans.v1"

// Plans keeps catalog_products and catalog_plans (spec 3.3, 3.4), and the free-access tables derived from
// the plans, catalog_plan_domains and catalog_plan_ip_ranges (rules 13 and 14).
func Plans() projections.Projection {
	return projections.Projection{
		Name:   PlansName,
		Tables: []string{"catalog_products", "catalog_plans", "catalog_plan_domains", "catalog_plan_ip_ranges"},
		Handlers: []projections.Handler{
			projections.On(applyProductDefined),
			projections.On(applyProductChanged),
			projections.On(applyPlanDefined),
			projections.On(applyPlanChanged),
			projections.On(applyPlanRetired),
			projections.On(applyPlanReactivated),
		},
		Batch: applyPlansBatch,
	}
}

func applyProductDefined(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.ProductDefined]) error {
	return upsertRow(ctx, tx, "catalog_products", e.Data.ProductID, e.Revision,
		append(attributeColumns(e.Data.ProductAttributes), column{"site_id", e.Data.SiteID}))
}

func applyProductChanged(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.ProductChanged]) error {
	return patchRow(ctx, tx, "catalog_products", e.Data.ProductID, e.Revision, patchColumns(e.Data.Changes))
}

func applyPlanDefined(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.PlanDefined]) error {
	return refreshedAccess(ctx, tx, e.Data.PlanID, writePlanDefined(ctx, tx, e.Data, e.Revision))
}

func applyPlanChanged(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.PlanChanged]) error {
	return refreshedAccess(ctx, tx, e.Data.PlanID, writePlanChanged(ctx, tx, e.Data, e.Revision))
}

func applyPlanRetired(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.PlanRetired]) error {
	return refreshedAccess(ctx, tx, e.Data.PlanID, writePlanActive(ctx, tx, e.Data.PlanRef, e.Revision, false))
}

func applyPlanReactivated(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.PlanReactivated]) error {
	return refreshedAccess(ctx, tx, e.Data.PlanID, writePlanActive(ctx, tx, e.Data.PlanRef, e.Revision, true))
}

// applyPlansBatch is the Batch of the plans projection: every event's row is written as its handler writes
// it, in log order, and the free-access rows of the plans they touched are refreshed once, at the end,
// instead of four statements after every plan event (which made a replay of a catalog of 1,000 plans wait
// seconds on round trips). A refresh recomputes a plan's rows from its catalog_plans row alone, so one after
// the plan's last write leaves what one after each write leaves.
func applyPlansBatch(ctx context.Context, tx *sqlx.Tx, events []projections.Event[any]) error {
	var plans []int64
	for _, e := range events {
		var err error
		switch d := e.Data.(type) {
		case catalog.ProductDefined:
			err = applyProductDefined(ctx, tx, projections.Event[catalog.ProductDefined]{Envelope: e.Envelope, Data: d})
		case catalog.ProductChanged:
			err = applyProductChanged(ctx, tx, projections.Event[catalog.ProductChanged]{Envelope: e.Envelope, Data: d})
		case catalog.PlanDefined:
			err, plans = writePlanDefined(ctx, tx, d, e.Revision), append(plans, d.PlanID)
		case catalog.PlanChanged:
			err, plans = writePlanChanged(ctx, tx, d, e.Revision), append(plans, d.PlanID)
		case catalog.PlanRetired:
			err, plans = writePlanActive(ctx, tx, d.PlanRef, e.Revision, false), append(plans, d.PlanID)
		case catalog.PlanReactivated:
			err, plans = writePlanActive(ctx, tx, d.PlanRef, e.Revision, true), append(plans, d.PlanID)
		default:
			err = fmt.Errorf("catalog plans: a batch got a %T, which no handler takes", e.Data)
		}
		if err != nil {
			return err
		}
	}
	if len(plans) == 0 {
		return nil
	}
	return refreshFreeAccess(ctx, tx, plans)
}

// writePlanDefined, writePlanChanged and writePlanActive write a plan event's catalog_plans row; the
// free-access rows are refreshed after them (refreshedAccess, or once per batch).
func writePlanDefined(ctx context.Context, tx *sqlx.Tx, d catalog.PlanDefined, revision uint64) error {
	return upsertRow(ctx, tx, "catalog_plans", d.PlanID, revision, append(attributeColumns(d.PlanAttributes),
		column{"product_id", d.ProductID}, column{"site_id", d.SiteID}, column{"active", d.Active}))
}

func writePlanChanged(ctx context.Context, tx *sqlx.Tx, d catalog.PlanChanged, revision uint64) error {
	return patchRow(ctx, tx, "catalog_plans", d.PlanID, revision, patchColumns(d.Changes))
}

func writePlanActive(ctx context.Context, tx *sqlx.Tx, plan catalog.PlanRef, revision uint64, active bool) error {
	return patchRow(ctx, tx, "catalog_plans", plan.PlanID, revision, []column{{"active", active}})
}

// refreshedAccess recomputes the plan's free-access rows after its row was written (unless writing it
// failed with err), from the row itself, so they always follow the plan's current state.
func refreshedAccess(ctx context.Context, tx *sqlx.Tx, planID int64, err error) error {
	if err != nil {
		return err
	}
	return refreshFreeAccess(ctx, tx, []int64{planID})
}
