// Package memberip projects the membership subscriptions' IP ranges (aggregates/subscription) into the
// member_ip_subscriptions and member_ip_ranges read models (migration 00085), which queries.MemberIPs reads
// for GET /members/ip/authorization (spec #24): the membership subscriptions of a site whose ranges contain
// the caller's address, while they grant access.
//
// Only what that question needs is kept: a membership's ranges, given once at creation, and where it stands.
// Its status is folded by the aggregate's own Evolve over the events that move it (payment succeeded or
// failed, ended), so "grants access" means here what it means to the subscription itself
// (subscription.Status.Running: active, trialing or past due; a cancellation scheduled at the period end
// still runs until the billing clock ends it). The ranges of a subscription that does not grant access are
// taken out of member_ip_ranges, so the containment query never sees them.
//
// Every row carries the revision of the subscription's stream it reflects and every write is guarded by
// it: an event delivered twice changes nothing.
package memberip

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// Name is the projection's name and checkpoint key. Warning: changing it replays the whole log into the
// same tables (see projections.Projection.Name); bump it only together with fresh tables.
const Name = "member_ip_ranges.v1"

// Projection keeps member_ip_subscriptions and member_ip_ranges.
func Projection() projections.Projection {
	return projections.Projection{
		Name:   Name,
		Tables: []string{"member_ip_subscriptions", "member_ip_ranges"},
		Handlers: []projections.Handler{
			projections.On(applyCreated),
			projections.On(standing(func(e subscription.PaymentSucceeded) int64 { return e.SubscriptionID })),
			projections.On(standing(func(e subscription.PaymentFailed) int64 { return e.SubscriptionID })),
			projections.On(standing(func(e subscription.InvoiceOverdue) int64 { return e.SubscriptionID })),
			projections.On(standing(func(e subscription.Ended) int64 { return e.SubscriptionID })),
		},
	}
}

// applyCreated records a membership with IP ranges; other subscriptions get no row, and the events that
// follow theirs find none and change nothing. A row already there means the event is applied already.
func applyCreated(ctx context.Context, tx *sqlx.Tx, e projections.Event[subscription.Created]) error {
	d := e.Data
	ranges := indexedRanges(d.IPAddresses)
	if d.Type != subscription.TypeMembership || len(ranges) == 0 {
		return nil
	}
	s := subscription.Evolve(subscription.State{}, d)
	result, err := tx.ExecContext(ctx, `INSERT INTO member_ip_subscriptions
		(subscription_id, site_id, status, ended_at, running, ip_ranges, revision)
		VALUES ($1, $2, $3, NULL, $4, $5::cidr[], $6) ON CONFLICT (subscription_id) DO NOTHING`,
		d.SubscriptionID, d.SiteID, string(s.Status), s.Status.Running(), pq.Array(ranges), int64(e.Revision))
	if err != nil {
		return fmt.Errorf("insert membership %d: %w", d.SubscriptionID, err)
	}
	if n, err := result.RowsAffected(); err != nil || n == 0 {
		return err
	}
	return refreshRanges(ctx, tx, d.SubscriptionID)
}

// indexedRanges are the entries of a membership's ip_addresses the read model indexes, as masked CIDR
// text: those the aggregate's rules accept (subscription.ParseIPRange, IsPublicRange, IsNarrowEnough), each
// once. A subscription created before those rules may list others; they are left out rather than stop the
// projection (an entry PostgreSQL cannot read as cidr) or unlock private networks.
func indexedRanges(entries []string) []string {
	seen := make(map[string]bool, len(entries))
	var out []string
	for _, entry := range entries {
		prefix, ok := subscription.ParseIPRange(entry)
		if !ok || !subscription.IsPublicRange(prefix) || !subscription.IsNarrowEnough(prefix) || seen[prefix.String()] {
			continue
		}
		seen[prefix.String()] = true
		out = append(out, prefix.String())
	}
	return out
}
