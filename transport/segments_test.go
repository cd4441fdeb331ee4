package transport

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
	catalogprojections "github.com/pelcro-oss/pelcro-api/projections/catalog"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// quarterlyStudents is the segment segmentStack adds on the magazine (catalogtest.OtherSiteID): students
// again, which the magazine's red tote (catalogtest.EcommerceSKUID) is restricted to.
const quarterlyStudents = int64(17)

// segmentStack is customerStack with the segment reads, and besides catalogtest's students segment of the
// news site (the paid plan and the STUDENT20 coupon), a students segment of the magazine for its red tote.
func segmentStack(t *testing.T) (Dependencies, *customerWorld) {
	t.Helper()
	deps, world := customerStack(t)
	c := customerCatalog()
	c.Segments = append(c.Segments, catalog.Segment{ID: quarterlyStudents, SiteID: catalogtest.OtherSiteID,
		SegmentAttributes: catalog.SegmentAttributes{Name: "Étudiants", Rules: []catalog.SegmentRule{{EmailDomain: "*.example.edu"}}}})
	c.EcommerceProducts[0].SKUs[1].SegmentIDs = []int64{quarterlyStudents}
	if _, err := commands.ImportCatalog(t.Context(), world.store, c, time.Now()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	if err := world.runner.WaitFor(ctx, mustHead(t, world.store), catalogprojections.Names()...); err != nil {
		t.Fatal(err)
	}
	deps.Segments = queries.Segments{DB: world.db}
	world.router = newTestRouter(t, deps)
	return deps, world
}

func TestSegmentEndpoints(t *testing.T) {
	t.Parallel()
	deps, world := segmentStack(t)
	t.Run("a student gets what the students segment restricts", func(t *testing.T) { testStudentItems(t, deps, world) })
	t.Run("nothing eligible is a 404 in the caller's language", func(t *testing.T) { testNoEligibleItems(t, deps, world) })
	t.Run("no token or another account's is a 401", func(t *testing.T) { testSegmentsNeedTheSitesCustomer(t, deps, world) })
}

// segmentIDs lists the ids of the items of an answer with the ids of their segments, e.g. "102:7".
func segmentIDs(t *testing.T, answer map[string]any) []string {
	t.Helper()
	var out []string
	for _, item := range answer["data"].([]any) {
		fields := item.(map[string]any)
		line := fmt.Sprint(fields["id"]) + ":"
		for _, segment := range fields["segments"].([]any) {
			line += fmt.Sprint(segment.(map[string]any)["id"])
		}
		out = append(out, line)
	}
	return out
}

func testStudentItems(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	client := newProfileClient(t, deps)
	client.token, _ = world.register(t, "ann@campus.example.edu", customerPassword)
	cases := []struct {
		path string
		want string
	}{
		{"/customer/plans", fmt.Sprintf("[%d:%d]", catalogtest.PaidPlanID, catalogtest.StudentsSegmentID)},
		{"/customer/coupons", fmt.Sprintf("[%d:%d]", catalogtest.StudentCouponID, catalogtest.StudentsSegmentID)},
		{fmt.Sprintf("/customer/product_sku?site_id=%d", catalogtest.OtherSiteID), fmt.Sprintf("[%d:%d]", catalogtest.EcommerceSKUID, quarterlyStudents)},
	}
	for _, tc := range cases {
		// when a student asks, then the items restricted to the students segment are listed with it (the
		// answers also match the OpenAPI document)
		answer := client.call(t, http.MethodGet, tc.path, "", http.StatusOK)
		if got := fmt.Sprint(segmentIDs(t, answer)); got != tc.want {
			t.Errorf("GET %s = %s, want %s", tc.path, got, tc.want)
		}
	}
	plan := client.call(t, http.MethodGet, "/customer/plans", "", http.StatusOK)["data"].([]any)[0].(map[string]any)
	if plan["amount"] != float64(500) || plan["product"].(map[string]any)["name"] != "Digital Access" ||
		fmt.Sprint(plan["segments"]) != "[map[id:7 name:Students]]" {
		t.Fatalf("plan = %v", plan)
	}
}

func testNoEligibleItems(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	client := newProfileClient(t, deps)
	client.token, _ = world.register(t, "bob@example.edu", customerPassword) // the bare domain is no subdomain
	cases := []struct{ path, message string }{
		{"/customer/plans", "No eligible items found"},
		{"/customer/coupons?language=fr", "Aucun élément éligible trouvé"},
		{"/customer/product_sku?language=ko", "대상 항목을 찾을 수 없습니다"},
		{"/customer/plans?language=de", "Keine berechtigten Artikel gefunden"},
	}
	for _, tc := range cases {
		answer := client.call(t, http.MethodGet, tc.path, "", http.StatusNotFound)
		if got := profileErrorMessage(t, answer); got != tc.message {
			t.Errorf("GET %s: %q, want %q", tc.path, got, tc.message)
		}
	}
}

func testSegmentsNeedTheSitesCustomer(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	client := newProfileClient(t, deps)
	// given a student of another account
	rec := world.call(http.MethodPost, fmt.Sprintf("/auth/register?site_id=%d", otherAccountSite), "",
		fmt.Sprintf(`{"email":"cat@campus.example.edu","password":%q}`, customerPassword))
	if rec.Code != http.StatusOK {
		t.Fatalf("register on the other account's site = %d %s", rec.Code, rec.Body)
	}
	client.token = decodeBody[map[string]any](t, rec)["data"].(map[string]any)["auth_token"].(string)
	// when they ask the news site, then their token is refused: its segments never reach them
	for _, path := range []string{"/customer/plans", "/customer/coupons", "/customer/product_sku"} {
		client.call(t, http.MethodGet, path, "", http.StatusUnauthorized)
	}
	// when they ask their own site, then the news site's students segment does not count there
	client.call(t, http.MethodGet, fmt.Sprintf("/customer/plans?site_id=%d", otherAccountSite), "", http.StatusNotFound)
	// when nobody signed in asks, then it is a 401
	client.token = ""
	client.call(t, http.MethodGet, "/customer/coupons", "", http.StatusUnauthorized)
}
