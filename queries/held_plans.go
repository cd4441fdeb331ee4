package queries

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// HeldPlans returns a function giving the plans a customer holds: those of their subscriptions that still
// run (active, trialing, past due), read from the subscriptions read model. It is what segments' "holds a
// plan" rule (Segments.HeldPlans) asks.
func HeldPlans(db *sqlx.DB) func(ctx context.Context, customerID int64) ([]int64, error) {
	return func(ctx context.Context, customerID int64) ([]int64, error) {
		var ids pq.Int64Array
		err := db.QueryRowContext(ctx, `SELECT coalesce(array_agg(DISTINCT plan_id ORDER BY plan_id), '{}')
			FROM subscriptions WHERE customer_id = $1 AND status IN ('active', 'trialing', 'past_due')`,
			customerID).Scan(&ids)
		if err != nil {
			return nil, fmt.Errorf("queries: plans held by customer %d: %w", customerID, err)
		}
		return ids, nil
	}
}
