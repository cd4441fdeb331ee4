package transport

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pelcro-oss/pelcro-api/queries"
)

// aMembershipUnlocksItsNetworksWhileItRuns is #24 end to end on the subscription stack (TestSubscriptionEndpoints):
// a membership bought over HTTP with its ranges, projected by member_ip_ranges.v1, read by queries.MemberIPs.
func aMembershipUnlocksItsNetworksWhileItRuns(t *testing.T, w *subscriptionWorld) {
	token, _ := w.register(t, "library@example.com", "a-long-password")
	fromCampus := func() *httptest.ResponseRecorder {
		req := request(http.MethodGet, fmt.Sprintf("%s/members/ip/authorization?site_id=%d", APIBasePath, customerSite), "", "")
		req.RemoteAddr = "81.2.69.160:5000"
		return serve(w.router, req)
	}
	// given nobody licensed the campus, a reader there is covered by nothing
	assertError(t, fromCampus(), http.StatusNotFound, "No subscriptions found")
	// when the library buys a membership for its network
	rec := w.post("/subscription", token, `{"plan_id":4070,"ip_addresses":["81.2.69.0/24","2a00:1450::/32"]}`, "")
	if rec.Code != http.StatusOK {
		t.Fatalf("subscribe: %d %s", rec.Code, rec.Body)
	}
	id := decodeBody[subscribed](t, rec).Data.Subscriptions[0].ID
	// then, once the member ranges are projected, a reader on campus is covered by it
	w.waitForMemberIPs(t)
	rec = fromCampus()
	got := decodeBody[struct{ Data []queries.MemberSubscription }](t, rec).Data
	if rec.Code != http.StatusOK || len(got) != 1 || got[0].ID != id || got[0].Status != "active" {
		t.Fatalf("on campus: %d %s, want subscription %d", rec.Code, rec.Body, id)
	}
	// and once the library cancels now, nobody is
	if rec := w.post("/subscription/cancel", token, fmt.Sprintf(`{"subscription_id":%d,"mode":"now"}`, id), ""); rec.Code != http.StatusOK {
		t.Fatalf("cancel: %d %s", rec.Code, rec.Body)
	}
	w.waitForMemberIPs(t)
	assertError(t, fromCampus(), http.StatusNotFound, "No subscriptions found")
}
