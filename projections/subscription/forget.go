package subscription

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// Gifts are the ids of the gifts a customer gave and of the memberships they own, as the read model knows
// them: the subscriptions whose personal data (a gift's recipient, the members' addresses) goes with the
// customer's erasure. One given a moment before the erasure may not be projected yet; erasing again after
// the projection caught up finds it.
func Gifts(ctx context.Context, db sqlx.QueryerContext, customerID int64) ([]int64, error) {
	return idsOf(ctx, db, "gifts", `type IN ('gift_donor', 'membership')`, customerID)
}

// Running are the ids of the customer's subscriptions that have not ended for good (an unpaid one may be
// paid again), as the read model knows them: a subscription sold a moment before may not be projected yet,
// so the address rules that read this (commands.Customers.SubscriptionsOf) read the customer's stream too.
func Running(ctx context.Context, db sqlx.QueryerContext, customerID int64) ([]int64, error) {
	return idsOf(ctx, db, "running subscriptions", `(ended_at IS NULL OR status = 'unpaid')`, customerID)
}

// idsOf are the ids of the customer's subscriptions that meet condition (SQL over the subscriptions table),
// what they are named in an error.
func idsOf(ctx context.Context, db sqlx.QueryerContext, what, condition string, customerID int64) ([]int64, error) {
	var ids []int64
	err := sqlx.SelectContext(ctx, db, &ids, `SELECT id FROM subscriptions WHERE customer_id = $1 AND `+condition+
		` ORDER BY id`, customerID)
	if err != nil {
		return nil, fmt.Errorf("%s of customer %d: %w", what, customerID, err)
	}
	return ids, nil
}

// Forget blanks the recipients of the gifts an erased customer gave at once, without waiting for the
// projection to apply their subscription.erased events.
func Forget(ctx context.Context, tx *sqlx.Tx, customerID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE subscriptions SET gift_recipient_email = '', gift_recipient_first_name = '',
		gift_recipient_last_name = '', gift_message = '' WHERE customer_id = $1`, customerID)
	if err != nil {
		return fmt.Errorf("forget the gifts of customer %d: %w", customerID, err)
	}
	return nil
}
