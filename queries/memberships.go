package queries

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// Membership is the Membership (seat) resource (spec 3.10), read from membership_seats
// (projections/membership): its status (pending until the invitee claims it, then active), the invitation
// address, the member who claimed it, and the parent subscription: its id in the seat list (#35), and in
// the member's Customer resource the subscription as a member sees it (MemberSubscription: nothing of the
// owner's own). Seats carry no shipping address yet: address is always null. Times are Unix seconds.
type Membership struct {
	ID           int64           `json:"id"`
	Object       string          `json:"object"`
	Status       string          `json:"status"`
	Email        *string         `json:"email"`
	CustomerID   *int64          `json:"customer_id"`
	Address      json.RawMessage `json:"address"`
	Subscription json.RawMessage `json:"subscription"`
	CreatedAt    int64           `json:"created_at"`
	ActivatedAt  *int64          `json:"activated_at"`
}

// seatObject is the seat row m as a Membership, without its subscription.
var seatObject = `'id', m.member_id, 'object', 'membership', 'status', m.status, 'email', NULLIF(m.email, ''),
	'customer_id', NULLIF(m.member_customer_id, 0), 'address', NULL,
	'created_at', ` + unixSeconds("m.invited_at") + `, 'activated_at', ` + unixSeconds("m.activated_at") + ``

// selectMembershipsJSON is every seat the customer row c claimed and still holds, with its parent
// subscription (subscriptionObject) under "parent", as a JSON array.
var selectMembershipsJSON = `SELECT coalesce(json_agg(json_build_object(` + seatObject + `,
	'parent', ` + subscriptionObject + `) ORDER BY m.activated_at, m.subscription_id, m.member_id), '[]')
	FROM membership_seats m JOIN subscriptions s ON s.id = m.subscription_id
	WHERE m.member_customer_id = c.id AND m.status = 'active' AND m.removed_at IS NULL
	AND s.account_id = c.account_id`

// membershipRow is one element of selectMembershipsJSON.
type membershipRow struct {
	Membership
	Parent subscriptionRow `json:"parent"`
}

// seatExpired is the status a seat of an ended subscription shows in `expired_memberships`: its member lost
// it with the subscription. The seat's own row stays active (it was claimed and never removed), and shows
// active again should an unpaid subscription be paid again.
const seatExpired = "expired"

// membershipsFrom sorts selectMembershipsJSON's array into the Customer's `memberships` (the owner's
// subscription runs: the member shares its entitlements) and `expired_memberships` (it ended: every member
// lost it, and the seat reads seatExpired), each with its subscription embedded as members see it (MemberSubscription).
func membershipsFrom(ctx context.Context, plans planFinder, array []byte) (running, expired []Membership, err error) {
	var rows []membershipRow
	if err := json.Unmarshal(array, &rows); err != nil {
		return nil, nil, err
	}
	parents := make([]subscriptionRow, len(rows))
	for i, row := range rows {
		parents[i] = row.Parent
	}
	if err := withPlans(ctx, plans, parents); err != nil {
		return nil, nil, err
	}
	running, expired = []Membership{}, []Membership{}
	for i, row := range rows {
		m := row.Membership
		if m.Subscription, err = json.Marshal(parents[i].MemberSubscription.seenByMembers()); err != nil {
			return nil, nil, fmt.Errorf("queries: encode subscription %d: %w", parents[i].ID, err)
		}
		if ended(parents[i].Status) {
			m.Status = seatExpired
			expired = append(expired, m)
		} else {
			running = append(running, m)
		}
	}
	return running, expired, nil
}

// Seats returns the seats (not removed) of the customer's membership subscription, oldest first, for #35;
// ErrNotFound when the subscription is not a membership of that customer (or not projected yet).
func (c Customers) Seats(ctx context.Context, customerID, subscriptionID int64) ([]Membership, error) {
	var owned bool
	err := c.DB.GetContext(ctx, &owned, `SELECT true FROM subscriptions WHERE id = $1 AND customer_id = $2
		AND type = 'membership'`, subscriptionID, customerID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("queries: subscription %d: %w", subscriptionID, err)
	}
	var array []byte
	err = c.DB.GetContext(ctx, &array, `SELECT coalesce(json_agg(json_build_object(`+seatObject+`,
		'subscription', m.subscription_id) ORDER BY m.member_id), '[]')
		FROM membership_seats m WHERE m.subscription_id = $1 AND m.removed_at IS NULL`, subscriptionID)
	if err != nil {
		return nil, fmt.Errorf("queries: seats of subscription %d: %w", subscriptionID, err)
	}
	seats := []Membership{}
	if err := json.Unmarshal(array, &seats); err != nil {
		return nil, fmt.Errorf("queries: seats of subscription %d: %w", subscriptionID, err)
	}
	return seats, nil
}
