package transport

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// MemberIPQueries finds the membership subscriptions that unlock a site for an address
// (queries.MemberIPs, or queries.CachedMemberIPs as cmd/pelcro wires it). None is an empty list; the zero
// address is queries.ErrInvalidIP.
type MemberIPQueries interface {
	SubscriptionsByIP(ctx context.Context, siteID int64, ip netip.Addr) ([]queries.MemberSubscription, error)
}

// membersIPCache: the answer depends on the caller's address, so only the caller's browser may keep it
// (docs/http-conventions.md), and for a minute: a licence bought or ended shows within that.
var membersIPCache = cacheFor{maxAge: time.Minute, browserOnly: true}

// memberIPHandlers serve GET /members/ip/authorization (spec #24): a site licence, where an institution's
// membership unlocks the site for everyone on its networks.
type memberIPHandlers struct {
	members        MemberIPQueries
	trustedProxies []netip.Prefix
	log            *slog.Logger
}

// ipAuthorization answers {"data":[Subscription…]}, the site's running memberships whose IP ranges hold
// the caller's address (found as plan IP authorization finds it: callerIP with the trusted proxies), or
// 404 "No subscriptions found". A caller whose address cannot be read is covered by no range.
func (h memberIPHandlers) ipAuthorization(w http.ResponseWriter, r *http.Request) {
	info, _ := requestSite(r)
	var found []queries.MemberSubscription
	if ip, ok := callerIP(r, h.trustedProxies); ok {
		var err error
		found, err = h.members.SubscriptionsByIP(r.Context(), info.ID, ip)
		if err != nil && !errors.Is(err, queries.ErrInvalidIP) {
			h.log.ErrorContext(r.Context(), "members IP authorization failed", requestIDs(r), "error", err)
			writeError(w, r, http.StatusInternalServerError, i18n.InternalError)
			return
		}
	}
	if len(found) == 0 {
		writeCachedError(w, r, http.StatusNotFound, membersIPCache, i18n.MembersNoSubscriptions)
		return
	}
	writeCached(w, r, http.StatusOK, membersIPCache, dataBody{Data: found})
}
