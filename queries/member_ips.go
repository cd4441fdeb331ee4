package queries

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"

	"github.com/jmoiron/sqlx"
)

// MemberSubscription is a subscription as somebody it does not belong to sees it: anybody on its networks
// (GET /members/ip/authorization, spec #24) and the members of its seats (the Customer's memberships). It
// shows what the licence is and until when it runs, and nothing that belongs to its owner alone: no
// customer, address, coupon, metadata, campaign, cancellation reason, invoices, payment, phases or ranges.
// It is the part of Subscription both answers show (Subscription embeds it), so a field added to the
// Subscription resource stays the owner's unless it is added here on purpose. Times are Unix seconds, null
// when the subscription has none.
type MemberSubscription struct {
	ID                 int64           `json:"id"`
	Object             string          `json:"object"`
	Status             string          `json:"status"`
	Type               string          `json:"type"`
	IsMembership       bool            `json:"is_membership"`
	Plan               json.RawMessage `json:"plan"`
	Quantity           int64           `json:"quantity"`
	AutoRenew          bool            `json:"auto_renew"`
	CancelAtPeriodEnd  bool            `json:"cancel_at_period_end"`
	CancelAt           *int64          `json:"cancel_at"`
	CurrentPeriodStart int64           `json:"current_period_start"`
	CurrentPeriodEnd   int64           `json:"current_period_end"`
	// CanceledAt and EndedAt say when an ended subscription was canceled and ended (null while it runs): a
	// member of its seats sees in expired_memberships how and when it ended, as its owner does.
	CanceledAt *int64 `json:"canceled_at"`
	EndedAt    *int64 `json:"ended_at"`
	Created    int64  `json:"created"`
}

// seenByMembers is the subscription as somebody it does not belong to may see it: while it runs, a
// cancellation its owner scheduled (canceled_at) is the owner's own business, so it shows only once the
// subscription has ended.
func (s MemberSubscription) seenByMembers() MemberSubscription {
	if !ended(s.Status) {
		s.CanceledAt = nil
	}
	return s
}

// MemberIPs answers which membership subscriptions unlock a site for an address, from member_ip_ranges
// (projections/memberip) and subscriptions (projections/subscription). Its methods may be called
// concurrently.
type MemberIPs struct {
	DB *sqlx.DB
}

// selectMemberSubscriptions finds the site's ($1) ranges containing the address ($2) through the GiST index
// of member_ip_ranges (ip_range >>= address), then their subscriptions. member_ip_ranges holds only the
// ranges of memberships that grant access; the status shown is the one that decided so (from
// member_ip_subscriptions, written by the same projection in the same transaction), not the subscriptions
// row's, which another projection keeps and may be ahead or behind. A subscription the subscriptions
// projection has not applied yet is left out until it has.
var selectMemberSubscriptions = `SELECT ` + subscriptionObject + ` AS subscription, m.status
	FROM subscriptions s JOIN member_ip_subscriptions m ON m.subscription_id = s.id
	WHERE s.site_id = $1 AND s.id IN (SELECT r.subscription_id FROM member_ip_ranges r
		WHERE r.ip_range >>= $2::inet AND r.site_id = $1)
	ORDER BY s.id`

// SubscriptionsByIP returns the site's membership subscriptions that grant access now and list a range
// holding ip, oldest first, each with its plan as GET /plan serves it (the terms as sold when the catalog
// no longer has it). An IPv4 address seen as IPv4-mapped IPv6 matches as IPv4. None is an empty list
// (endpoint 24: 404); the zero netip.Addr is ErrInvalidIP.
func (m MemberIPs) SubscriptionsByIP(ctx context.Context, siteID int64, ip netip.Addr) ([]MemberSubscription, error) {
	if !ip.IsValid() {
		return nil, ErrInvalidIP
	}
	var found []struct {
		Subscription []byte `db:"subscription"`
		Status       string `db:"status"`
	}
	err := sqlx.SelectContext(ctx, m.DB, &found, selectMemberSubscriptions, siteID, ip.Unmap().WithZone("").String())
	if err != nil {
		return nil, fmt.Errorf("queries: memberships of %s on site %d: %w", ip, siteID, err)
	}
	rows := make([]subscriptionRow, len(found))
	for i, f := range found {
		if err := json.Unmarshal(f.Subscription, &rows[i]); err != nil {
			return nil, fmt.Errorf("queries: memberships of %s on site %d: %w", ip, siteID, err)
		}
		rows[i].Status = f.Status // the status that decided access (above)
	}
	if err := withPlans(ctx, plansIn(m.DB), rows); err != nil {
		return nil, err
	}
	shared := make([]MemberSubscription, len(rows))
	for i, row := range rows {
		shared[i] = row.MemberSubscription.seenByMembers()
	}
	return shared, nil
}
