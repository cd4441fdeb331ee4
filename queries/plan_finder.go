package queries

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// planFinder finds the catalog's plans of a site by id, as GET /plan serves them, for the resources that
// embed a subscription's plan. A plan the catalog does not have is left out (the caller embeds the terms as
// sold instead).
type planFinder func(ctx context.Context, site int64, ids []int64) ([]Plan, error)

// PlanReader answers one plan of a site, or ErrNotFound: a CachedCatalog, or a Catalog.
type PlanReader interface {
	Plan(ctx context.Context, siteID, planID int64) (Plan, error)
}

// plansIn reads the plans with one statement through q, so a caller reading in a transaction (the
// operator's time travel) sees the catalog tables of that transaction.
func plansIn(q sqlx.QueryerContext) planFinder {
	return func(ctx context.Context, site int64, ids []int64) ([]Plan, error) {
		var found []Plan
		if err := sqlx.SelectContext(ctx, q, &found, selectPlans+`p.id = ANY($2)`, site, pq.Array(ids)); err != nil {
			return nil, fmt.Errorf("queries: plans %v of site %d: %w", ids, site, err)
		}
		return found, nil
	}
}

// plansFrom asks reader for each plan once: from memory when reader is a CachedCatalog that has it. A
// miss costs one SELECT per plan, not one for all (the cache loads answers one key at a time): after every
// catalog change and every 30 s (maxAnswerAge), a customer with n distinct plans pays n statements once.
func plansFrom(reader PlanReader) planFinder {
	return func(ctx context.Context, site int64, ids []int64) ([]Plan, error) {
		var found []Plan
		for i, id := range ids {
			if slices.Contains(ids[:i], id) {
				continue
			}
			plan, err := reader.Plan(ctx, site, id)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("queries: plan %d of site %d: %w", id, site, err)
			}
			found = append(found, plan)
		}
		return found, nil
	}
}
