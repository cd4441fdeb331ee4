package membership

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Seat names one seat of a membership subscription.
type Seat struct {
	SubscriptionID int64 `db:"subscription_id"`
	MemberID       int64 `db:"member_id"`
}

// InvitationsOf lists the seats of the site whose invitation carries an erased customer's address: the
// seats they claimed, and the seats nobody claimed (pending, or removed) invited at one of emails (every
// address they had on the site, normalised), removed ones included, unless another customer of the site
// holds that address now: that invitation is theirs. `pelcro customers erase` reads them before Forget, to
// erase each invitation's sealed address (its seat's key) and blank it here.
//
// It sees the invitations the projection has reached: an erasure run while the projection lags behind an
// invitation sent a moment before misses it, and running the erasure again once it caught up erases it.
func InvitationsOf(ctx context.Context, q sqlx.QueryerContext, siteID, customerID int64, emails []string) ([]Seat, error) {
	var seats []Seat
	err := sqlx.SelectContext(ctx, q, &seats, `SELECT subscription_id, member_id FROM membership_seats
		WHERE member_customer_id = $2
			OR (site_id = $1 AND member_customer_id = 0 AND email <> '' AND email = ANY($3)
				AND email NOT IN (SELECT lower(btrim(email)) FROM customers WHERE site_id = $1 AND id <> $2))
		ORDER BY subscription_id, member_id`, siteID, customerID, pq.Array(emails))
	if err != nil {
		return nil, fmt.Errorf("the invitations of customer %d: %w", customerID, err)
	}
	return seats, nil
}

// ForgetSeats blanks the addresses of seats at once, without waiting for the projection, which reads them
// as empty from the log once their keys are shredded.
func ForgetSeats(ctx context.Context, tx sqlx.ExecerContext, seats []Seat) error {
	for _, s := range seats {
		if _, err := tx.ExecContext(ctx, `UPDATE membership_seats SET email = '' WHERE subscription_id = $1 AND member_id = $2`,
			s.SubscriptionID, s.MemberID); err != nil {
			return fmt.Errorf("forget seat %d of subscription %d: %w", s.MemberID, s.SubscriptionID, err)
		}
	}
	return nil
}
