package subscription

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// Running are the ids of the customer's subscriptions that have not ended for good (an unpaid one may be
// paid again), as the read model knows them: a subscription sold a moment before may not be projected yet,
// so the address rules that read this (commands.Customers.SubscriptionsOf) read the customer's stream too.
func Running(ctx context.Context, db sqlx.QueryerContext, customerID int64) ([]int64, error) {
	var ids []int64
	err := sqlx.SelectContext(ctx, db, &ids, `SELECT id FROM subscriptions WHERE customer_id = $1
		AND (ended_at IS NULL OR status = 'unpaid') ORDER BY id`, customerID)
	if err != nil {
		return nil, fmt.Errorf("running subscriptions of customer %d: %w", customerID, err)
	}
	return ids, nil
}
