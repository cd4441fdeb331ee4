package memberip

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// standing is the apply func of an event that may move a subscription's status (id says whose): it folds
// the event into the status and end the row keeps, with the aggregate's Evolve, and puts the ranges in or
// out of member_ip_ranges when that changes whether the subscription grants access.
func standing[E subscription.Event](id func(E) int64) projections.ApplyFunc[E] {
	return func(ctx context.Context, tx *sqlx.Tx, e projections.Event[E]) error {
		subscriptionID := id(e.Data)
		var row struct {
			Status   string     `db:"status"`
			EndedAt  *time.Time `db:"ended_at"`
			Running  bool       `db:"running"`
			Revision int64      `db:"revision"`
		}
		err := tx.GetContext(ctx, &row, `SELECT status, ended_at, running, revision FROM member_ip_subscriptions
			WHERE subscription_id = $1 FOR UPDATE`, subscriptionID)
		if errors.Is(err, sql.ErrNoRows) || err == nil && row.Revision >= int64(e.Revision) {
			return nil // not a membership with ranges, or applied already
		}
		if err != nil {
			return fmt.Errorf("read membership %d: %w", subscriptionID, err)
		}
		s := subscription.State{ID: subscriptionID, Type: subscription.TypeMembership, Status: subscription.Status(row.Status)}
		if row.EndedAt != nil {
			s.EndedAt = *row.EndedAt
		}
		s = subscription.Evolve(s, e.Data)
		var endedAt *time.Time
		if s.Ended() {
			endedAt = &s.EndedAt
		}
		running := s.Status.Running()
		if _, err := tx.ExecContext(ctx, `UPDATE member_ip_subscriptions SET status = $2, ended_at = $3, running = $4,
			revision = $5 WHERE subscription_id = $1`, subscriptionID, string(s.Status), endedAt, running,
			int64(e.Revision)); err != nil {
			return fmt.Errorf("update membership %d: %w", subscriptionID, err)
		}
		if running == row.Running {
			return nil
		}
		return refreshRanges(ctx, tx, subscriptionID)
	}
}

// refreshRanges makes member_ip_ranges hold the subscription's ranges when it grants access, none otherwise.
func refreshRanges(ctx context.Context, tx *sqlx.Tx, subscriptionID int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM member_ip_ranges WHERE subscription_id = $1`, subscriptionID); err != nil {
		return fmt.Errorf("clear the ranges of membership %d: %w", subscriptionID, err)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO member_ip_ranges (subscription_id, site_id, ip_range)
		SELECT s.subscription_id, s.site_id, r FROM member_ip_subscriptions s, unnest(s.ip_ranges) AS r
		WHERE s.subscription_id = $1 AND s.running ON CONFLICT DO NOTHING`, subscriptionID)
	if err != nil {
		return fmt.Errorf("index the ranges of membership %d: %w", subscriptionID, err)
	}
	return nil
}
