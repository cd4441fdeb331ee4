package queries

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"

	"github.com/jmoiron/sqlx"
)

// MemberSubscription is a membership subscription as GET /members/ip/authorization (spec #24) shows it to
// anybody on its networks: what the licence is and until when it runs, without what belongs to its owner
// alone (the customer, address, coupon, metadata, invoices, payment and the other ranges). Times are Unix
// seconds, null when the subscription has none.
type MemberSubscription struct {
	ID                 int64           `db:"id" json:"id"`
	Object             string          `db:"-" json:"object"`
	Status             string          `db:"status" json:"status"`
	Type               string          `db:"type" json:"type"`
	IsMembership       bool            `db:"-" json:"is_membership"`
	Plan               json.RawMessage `db:"-" json:"plan"`
	Quantity           int64           `db:"quantity" json:"quantity"`
	AutoRenew          bool            `db:"auto_renew" json:"auto_renew"`
	CancelAtPeriodEnd  bool            `db:"cancel_at_period_end" json:"cancel_at_period_end"`
	CancelAt           *int64          `db:"cancel_at" json:"cancel_at"`
	CurrentPeriodStart int64           `db:"current_period_start" json:"current_period_start"`
	CurrentPeriodEnd   int64           `db:"current_period_end" json:"current_period_end"`
	Created            int64           `db:"created" json:"created"`
	SiteID             int64           `db:"site_id" json:"-"`
	Terms              json.RawMessage `db:"terms" json:"-"`
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
const selectMemberSubscriptions = `SELECT s.id, m.status, s.type, s.quantity, s.auto_renew,
	s.cancel_at IS NOT NULL AND s.ended_at IS NULL AS cancel_at_period_end,
	extract(epoch FROM s.cancel_at)::bigint AS cancel_at,
	extract(epoch FROM s.current_period_start)::bigint AS current_period_start,
	extract(epoch FROM s.current_period_end)::bigint AS current_period_end,
	extract(epoch FROM s.created_at)::bigint AS created, s.site_id, s.terms
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
	var found []MemberSubscription
	err := sqlx.SelectContext(ctx, m.DB, &found, selectMemberSubscriptions, siteID, ip.Unmap().WithZone("").String())
	if err != nil {
		return nil, fmt.Errorf("queries: memberships of %s on site %d: %w", ip, siteID, err)
	}
	rows := make([]subscriptionRow, len(found))
	for i, s := range found {
		rows[i] = subscriptionRow{SiteID: s.SiteID, Terms: s.Terms}
	}
	plans, err := embeddedPlans(ctx, plansIn(m.DB), rows)
	if err != nil {
		return nil, err
	}
	for i := range found {
		s := &found[i]
		s.Object, s.IsMembership = "subscription", true
		if s.Plan = plans[planKey{s.SiteID, planIDOf(s.Terms)}]; s.Plan == nil {
			s.Plan = termsPlan(s.Terms)
		}
	}
	return found, nil
}
