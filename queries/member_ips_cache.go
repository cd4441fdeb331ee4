package queries

import (
	"context"
	"net/netip"
)

// CachedMemberIPs answers MemberIPs.SubscriptionsByIP from memory for as long as none of the read models an
// answer comes from changed: version must change whenever member_ip_ranges, subscriptions or the catalog's
// plans reached an event they handle (projections.Runner.DataVersion over those projections), and every
// cached answer is dropped then, as CachedCatalog does and with its bounds. An institution's readers
// (a campus behind a few addresses) ask the same question over and over; between two subscription
// events they cost no database round trip. Answers are shared between callers: they must not be modified.
type CachedMemberIPs struct {
	memberIPs MemberIPs
	cache     answerCache
}

// NewCachedMemberIPs caches memberIPs' answers, keyed on version, which must never decrease.
func NewCachedMemberIPs(memberIPs MemberIPs, version func() uint64) *CachedMemberIPs {
	return &CachedMemberIPs{memberIPs: memberIPs, cache: newAnswerCache(version)}
}

// SubscriptionsByIP is MemberIPs.SubscriptionsByIP, cached per site and address.
func (c *CachedMemberIPs) SubscriptionsByIP(ctx context.Context, siteID int64, ip netip.Addr) ([]MemberSubscription, error) {
	return cached(&c.cache, cacheKey{query: "members-ip", site: siteID, text: ip.String()}, func() ([]MemberSubscription, error) {
		return c.memberIPs.SubscriptionsByIP(ctx, siteID, ip)
	})
}
