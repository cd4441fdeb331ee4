package transport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"slices"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// fakeMemberIPs holds memberships by site and range, as queries.MemberIPs answers them; a failing one
// answers every question with an error.
type fakeMemberIPs struct {
	ranges  map[int64]map[string][]int64 // site → range → subscription ids
	failing bool
}

func (f fakeMemberIPs) SubscriptionsByIP(_ context.Context, siteID int64, ip netip.Addr) ([]queries.MemberSubscription, error) {
	if f.failing {
		return nil, errors.New("the read model is unreachable")
	}
	if !ip.IsValid() {
		return nil, queries.ErrInvalidIP
	}
	var found []queries.MemberSubscription
	for prefix, ids := range f.ranges[siteID] {
		if netip.MustParsePrefix(prefix).Contains(ip.Unmap()) {
			for _, id := range ids {
				found = append(found, queries.MemberSubscription{ID: id, Object: "subscription", Status: "active",
					Type: "membership", IsMembership: true, Plan: json.RawMessage(`{"id":101}`), Quantity: 1})
			}
		}
	}
	slices.SortFunc(found, func(a, b queries.MemberSubscription) int { return int(a.ID - b.ID) })
	return found, nil
}

var campusMemberships = fakeMemberIPs{ranges: map[int64]map[string][]int64{
	englishSite: {"81.2.69.0/24": {1}, "81.2.0.0/16": {2}, "2a00:1450::/32": {1}},
	frenchSite:  {"81.2.69.0/24": {4}},
}}

func TestMembersIPAuthorization(t *testing.T) {
	t.Parallel()
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	router := newTestRouter(t, Dependencies{Sites: testSites, MemberIPs: campusMemberships, TrustedProxies: proxies})
	checker := documentChecker(t)
	cases := []struct {
		name, remote, forwarded string
		site                    int64
		want                    []int64 // nil: 404
	}{
		{name: "a reader on campus", remote: "81.2.69.160:5000", site: englishSite, want: []int64{1, 2}},
		{name: "in the city only", remote: "81.2.70.1:5000", site: englishSite, want: []int64{2}},
		{name: "on the campus IPv6 network", remote: "[2a00:1450:4001::1]:443", site: englishSite, want: []int64{1}},
		{name: "IPv4-mapped on a dual-stack listener", remote: "[::ffff:81.2.69.160]:5000", site: englishSite, want: []int64{1, 2}},
		{name: "behind a trusted proxy, the forwarded address", remote: "10.1.2.3:5000", forwarded: "81.2.69.160",
			site: englishSite, want: []int64{1, 2}},
		{name: "a forwarded address from an untrusted peer is ignored", remote: "81.3.0.1:5000", forwarded: "81.2.69.160",
			site: englishSite},
		{name: "a forged entry left of the proxy's is not believed", remote: "10.1.2.3:5000",
			forwarded: "81.2.69.160, 81.3.0.1", site: englishSite},
		{name: "outside every range", remote: "81.3.0.1:5000", site: englishSite},
		{name: "no usable caller address", remote: "pipe", site: englishSite},
		{name: "another site sees only its own", remote: "81.2.69.160:5000", site: frenchSite, want: []int64{4}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a caller at an address, perhaps behind a proxy
			req := request(http.MethodGet, fmt.Sprintf("%s/members/ip/authorization?site_id=%d", APIBasePath, tc.site), "", "")
			req.RemoteAddr = tc.remote
			if tc.forwarded != "" {
				req.Header.Set("X-Forwarded-For", tc.forwarded)
			}
			// when it asks which memberships cover it
			rec := serve(router, req)
			// then it gets them in the documented shape, kept by its browser alone for a minute, or a 404
			checker.CheckResponse(t, req, rec)
			if got := rec.Header().Get("Cache-Control"); got != "private, max-age=60" {
				t.Errorf("Cache-Control = %q, want private, max-age=60", got)
			}
			if tc.want == nil {
				assertError(t, rec, http.StatusNotFound, "No subscriptions found")
				return
			}
			if rec.Code != http.StatusOK {
				t.Fatalf("status = %d, want 200; body %s", rec.Code, rec.Body)
			}
			var ids []int64
			for _, s := range decodeBody[struct{ Data []queries.MemberSubscription }](t, rec).Data {
				ids = append(ids, s.ID)
			}
			if !slices.Equal(ids, tc.want) {
				t.Fatalf("subscriptions %v, want %v", ids, tc.want)
			}
		})
	}
}

func TestMembersIPAuthorizationFailures(t *testing.T) {
	t.Parallel()
	t.Run("a read model failure is a 500 that tells nothing", func(t *testing.T) {
		t.Parallel()
		// given a read model that fails
		router := newTestRouter(t, Dependencies{Sites: testSites, MemberIPs: fakeMemberIPs{failing: true}})
		req := request(http.MethodGet, fmt.Sprintf("%s/members/ip/authorization?site_id=%d", APIBasePath, englishSite), "", "")
		// when a caller asks, then the answer is the generic 500
		assertError(t, serve(router, req), http.StatusInternalServerError, i18n.Localize(i18n.English, i18n.InternalError))
	})
	t.Run("site_id is required", func(t *testing.T) {
		t.Parallel()
		router := newTestRouter(t, Dependencies{Sites: testSites, MemberIPs: campusMemberships})
		rec := serve(router, request(http.MethodGet, APIBasePath+"/members/ip/authorization", "", ""))
		if rec.Code != http.StatusBadRequest {
			t.Fatalf("status = %d, want 400", rec.Code)
		}
	})
	for _, lang := range i18n.Supported() {
		t.Run("no membership, in "+string(lang), func(t *testing.T) {
			t.Parallel()
			// given a caller no membership covers, asking in a language
			router := newTestRouter(t, Dependencies{Sites: testSites, MemberIPs: campusMemberships})
			req := request(http.MethodGet, fmt.Sprintf("%s/members/ip/authorization?site_id=%d&language=%s",
				APIBasePath, englishSite, lang), "", "")
			req.RemoteAddr = "81.3.0.1:5000"
			// then the 404 is worded in it
			assertError(t, serve(router, req), http.StatusNotFound, i18n.Localize(lang, i18n.MembersNoSubscriptions))
		})
	}
}
