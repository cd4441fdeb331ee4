// Package membership projects the seat events of membership subscriptions (aggregates/subscription
// MemberInvited, MemberActivated, MemberRemoved, MemberInvitationErased) into the membership_seats read model (migration 00080): the
// seat list of #35, the `memberships` of a member's Customer resource, and the pending seats an invitee
// claims by registering, logging in or verifying their email.
//
// Every row carries the revision of the subscription's stream it reflects and every write is guarded by it,
// so an event delivered twice changes nothing. The member's address is personal data: the owner's erasure
// (subscription.erased) and the member's own (customer.erased, and subscription.member_invitation_erased for
// each seat invited at their address) blank it.
package membership

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// Name is the projection's name and checkpoint key; the seat endpoints wait for it (read-your-writes).
// Warning: changing it replays the whole log into the same table; bump it only together with a fresh table.
const Name = "membership_seats.v1"

// Projection keeps membership_seats (one row per seat, removed ones included).
func Projection() projections.Projection {
	return projections.Projection{
		Name:   Name,
		Tables: []string{"membership_seats"},
		Handlers: []projections.Handler{
			projections.On(applyInvited),
			projections.On(applyActivated),
			projections.On(applyRemoved),
			projections.On(applyInvitationErased),
			projections.On(applySubscriptionErased),
			projections.On(applyCustomerErased),
		},
	}
}

// applyInvited inserts the pending seat; a row already there means the event is applied already.
func applyInvited(ctx context.Context, tx *sqlx.Tx, e projections.Event[subscription.MemberInvited]) error {
	d := e.Data
	_, err := tx.ExecContext(ctx, `INSERT INTO membership_seats (subscription_id, member_id, site_id, owner_id, email,
		status, member_customer_id, invited_at, revision) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8)
		ON CONFLICT (subscription_id, member_id) DO NOTHING`,
		d.SubscriptionID, d.MemberID, d.SiteID, d.OwnerID, d.Email, subscription.SeatPending, d.InvitedAt, e.Revision)
	if err != nil {
		return fmt.Errorf("insert seat %d of subscription %d: %w", d.MemberID, d.SubscriptionID, err)
	}
	return nil
}

// applyActivated links the seat to the member who claimed it.
func applyActivated(ctx context.Context, tx *sqlx.Tx, e projections.Event[subscription.MemberActivated]) error {
	d := e.Data
	_, err := tx.ExecContext(ctx, `UPDATE membership_seats SET status = $3, member_customer_id = $4, activated_at = $5,
		revision = $6 WHERE subscription_id = $1 AND member_id = $2 AND revision < $6`,
		d.SubscriptionID, d.MemberID, subscription.SeatActive, d.CustomerID, d.ActivatedAt, e.Revision)
	if err != nil {
		return fmt.Errorf("activate seat %d of subscription %d: %w", d.MemberID, d.SubscriptionID, err)
	}
	return nil
}

// applyRemoved soft-deletes the seat.
func applyRemoved(ctx context.Context, tx *sqlx.Tx, e projections.Event[subscription.MemberRemoved]) error {
	d := e.Data
	_, err := tx.ExecContext(ctx, `UPDATE membership_seats SET removed_at = $3, revision = $4
		WHERE subscription_id = $1 AND member_id = $2 AND revision < $4`,
		d.SubscriptionID, d.MemberID, d.RemovedAt, e.Revision)
	if err != nil {
		return fmt.Errorf("remove seat %d of subscription %d: %w", d.MemberID, d.SubscriptionID, err)
	}
	return nil
}

// applyInvitationErased blanks the address of a seat whose invitee was erased. A rebuild applies it after
// the invitation, which still reads the address when it was sealed under the subscription's own key.
func applyInvitationErased(ctx context.Context, tx *sqlx.Tx, e projections.Event[subscription.MemberInvitationErased]) error {
	d := e.Data
	_, err := tx.ExecContext(ctx, `UPDATE membership_seats SET email = '', revision = $3
		WHERE subscription_id = $1 AND member_id = $2 AND revision < $3`, d.SubscriptionID, d.MemberID, e.Revision)
	if err != nil {
		return fmt.Errorf("erase the invitation of seat %d of subscription %d: %w", d.MemberID, d.SubscriptionID, err)
	}
	return nil
}

// applySubscriptionErased blanks the addresses of the erased owner's seats.
func applySubscriptionErased(ctx context.Context, tx *sqlx.Tx, e projections.Event[subscription.Erased]) error {
	_, err := tx.ExecContext(ctx, `UPDATE membership_seats SET email = '', revision = $2
		WHERE subscription_id = $1 AND revision < $2`, e.Data.SubscriptionID, e.Revision)
	if err != nil {
		return fmt.Errorf("erase the seats of subscription %d: %w", e.Data.SubscriptionID, err)
	}
	return nil
}

// applyCustomerErased blanks the address of every seat the erased customer claimed (Forget).
func applyCustomerErased(ctx context.Context, tx *sqlx.Tx, e projections.Event[customer.Erased]) error {
	return Forget(ctx, tx, e.Data.CustomerID)
}

// Forget blanks the addresses of the seats an erased customer claimed and of the seats of the memberships
// they own, at once, without waiting for the projection (the operator's erasure runs it too).
func Forget(ctx context.Context, tx sqlx.ExecerContext, customerID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE membership_seats SET email = '' WHERE member_customer_id = $1 OR owner_id = $1`,
		customerID)
	if err != nil {
		return fmt.Errorf("forget the seats of customer %d: %w", customerID, err)
	}
	return nil
}
