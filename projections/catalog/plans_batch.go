package catalog

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/projections"
)

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
