package transport

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"github.com/pelcro-oss/pelcro-api/projections"
	catalogprojections "github.com/pelcro-oss/pelcro-api/projections/catalog"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// catalogStack is the real catalog read side on a fresh database: the fixture catalog imported through the
// command pipeline and projected, served through CatalogSites and queries.Catalog as cmd/pelcro wires them.
func catalogStack(t *testing.T) (http.Handler, *catalogtest.Env) {
	t.Helper()
	env := catalogtest.New(t)
	pos := env.Import(catalogtest.Catalog())
	env.WaitFor(env.Start(), pos)
	catalog := queries.NewCatalog(env.DB)
	return newTestRouter(t, Dependencies{Sites: CatalogSites(catalog), Catalog: catalog,
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}), env
}

// cachedCatalog is env's catalog behind queries.CachedCatalog, kept current by runner's catalog
// projections, as cmd/pelcro wires it.
func cachedCatalog(env *catalogtest.Env, runner *projections.Runner) *queries.CachedCatalog {
	return queries.NewCachedCatalog(queries.NewCatalog(env.DB),
		func() uint64 { return runner.DataVersion(catalogprojections.Names()...) }, func([]int64) (uint64, uint64) { return 0, 0 })
}

func TestCatalogEndpoints(t *testing.T) {
	t.Parallel()
	router, _ := catalogStack(t)
	checker := documentChecker(t)
	site := fmt.Sprintf("site_id=%d", catalogtest.SiteID)
	cases := []struct {
		name, method, target, remote, forwarded, body string
		wantStatus                                    int
		wantMaxAge                                    string // Cache-Control, empty when not cached
		wantPlans                                     []int64
		wantMessage                                   string // the error message, for errors
	}{
		{name: "site", method: "GET", target: "/site?" + site, wantStatus: 200, wantMaxAge: "max-age=300"},
		{name: "unknown site", method: "GET", target: "/site?site_id=999", wantStatus: 400},
		{name: "plan by query", method: "GET", target: fmt.Sprintf("/plan?%s&plan_id=%d", site, catalogtest.FreePlanID),
			wantStatus: 200, wantMaxAge: "max-age=300", wantPlans: []int64{catalogtest.FreePlanID}},
		{name: "plan by POST body", method: "POST", target: "/plan?" + site, body: fmt.Sprintf(`{"plan_id": %d}`, catalogtest.PaidPlanID),
			wantStatus: 200, wantMaxAge: "max-age=300", wantPlans: []int64{catalogtest.PaidPlanID}},
		{name: "plan of another site", method: "GET", target: fmt.Sprintf("/plan?%s&plan_id=%d", site, catalogtest.OtherSitePlanID),
			wantStatus: 404, wantMaxAge: "max-age=300", wantMessage: "Plan not found."},
		{name: "plan id missing", method: "GET", target: "/plan?" + site, wantStatus: 400},
		{name: "plan id not an integer", method: "GET", target: "/plan?" + site + "&plan_id=abc", wantStatus: 400},
		{name: "domain: subdomain of a wildcard", method: "GET", target: "/plan/domain/authorization?" + site + "&email=ada@cs.example.edu",
			wantStatus: 200, wantMaxAge: "max-age=300", wantPlans: []int64{catalogtest.FreePlanID}},
		{name: "domain: paid plans never authorize", method: "GET", target: "/plan/domain/authorization?" + site + "&email=ada@paid.edu",
			wantStatus: 404, wantMaxAge: "max-age=300", wantMessage: "No plans found."},
		{name: "domain: invalid email", method: "GET", target: "/plan/domain/authorization?" + site + "&email=not-an-email",
			wantStatus: 400},
		{name: "domain: email missing", method: "GET", target: "/plan/domain/authorization?" + site, wantStatus: 400},
		{name: "ip: caller in an IPv4 range", method: "GET", target: "/plan/ip/authorization?" + site, remote: "198.51.100.20:5000",
			wantStatus: 200, wantMaxAge: "private, max-age=300", wantPlans: []int64{catalogtest.FreePlanID}},
		{name: "ip: IPv6 caller behind a trusted proxy", method: "GET", target: "/plan/ip/authorization?" + site,
			remote: "10.0.0.2:5000", forwarded: "2001:db8:0:1::9", wantStatus: 200, wantMaxAge: "private, max-age=300",
			wantPlans: []int64{catalogtest.FreePlanID}},
		{name: "ip: forwarded header from an untrusted peer is ignored", method: "GET", target: "/plan/ip/authorization?" + site,
			remote: "192.0.2.50:5000", forwarded: "198.51.100.20", wantStatus: 404, wantMaxAge: "private, max-age=300", wantMessage: "No plans found."},
		{name: "ip: no usable caller address", method: "GET", target: "/plan/ip/authorization?" + site, remote: "pipe",
			wantStatus: 404, wantMaxAge: "private, max-age=300", wantMessage: "No plans found."},
		{name: "ip: retired plan's range", method: "GET", target: "/plan/ip/authorization?" + site, remote: "10.9.1.1:5000",
			wantStatus: 404, wantMaxAge: "private, max-age=300", wantMessage: "No plans found."},
		{name: "e-commerce products of a site in the path", method: "GET",
			target: fmt.Sprintf("/ecommerce/products/site/%d", catalogtest.OtherSiteID), wantStatus: 200, wantMaxAge: "max-age=60"},
		{name: "e-commerce products of an unknown site", method: "GET", target: "/ecommerce/products/site/999", wantStatus: 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given the projected fixture catalog and a caller
			contentType := ""
			if tc.body != "" {
				contentType = "application/json"
			}
			req := request(tc.method, APIBasePath+tc.target, contentType, tc.body)
			if tc.remote != "" {
				req.RemoteAddr = tc.remote
			}
			if tc.forwarded != "" {
				req.Header.Set("X-Forwarded-For", tc.forwarded)
			}
			// when it asks
			rec := serve(router, req)
			// then the answer has the documented status, shape, caching and content
			checker.CheckResponse(t, req, rec)
			if rec.Code != tc.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", rec.Code, tc.wantStatus, rec.Body)
			}
			if got := rec.Header().Get("Cache-Control"); got != tc.wantMaxAge {
				t.Fatalf("Cache-Control = %q, want %q", got, tc.wantMaxAge)
			}
			if tc.wantMessage != "" {
				assertError(t, rec, tc.wantStatus, tc.wantMessage)
			}
			if tc.wantPlans != nil {
				if got := planIDs(t, rec.Body.Bytes()); !slices.Equal(got, tc.wantPlans) {
					t.Fatalf("plans = %v, want %v", got, tc.wantPlans)
				}
			}
		})
	}
}

func TestCatalogMessagesInEveryLanguage(t *testing.T) {
	t.Parallel()
	router, _ := catalogStack(t)
	for _, lang := range i18n.Supported() {
		t.Run(string(lang), func(t *testing.T) {
			t.Parallel()
			// given a caller asking in this language
			base := fmt.Sprintf("%s/plan/domain/authorization?site_id=%d&language=%s", APIBasePath, catalogtest.SiteID, lang)
			// when the email is missing, and when no plan matches
			missing := serve(router, request(http.MethodGet, base, "", ""))
			none := serve(router, request(http.MethodGet, base+"&email=a@nowhere.test", "", ""))
			// then both messages come in that language, and Content-Language says so
			if got := decodeBody[validationBody](t, missing).Errors["email"]; !slices.Equal(got, []string{i18n.Localize(lang, i18n.Required("email"))}) {
				t.Fatalf("missing email = %q", got)
			}
			assertError(t, none, http.StatusNotFound, i18n.Localize(lang, i18n.NoPlansFound))
			for _, rec := range []*httptest.ResponseRecorder{missing, none} {
				if got := rec.Header().Get("Content-Language"); got != string(lang) {
					t.Fatalf("Content-Language = %q, want %s", got, lang)
				}
			}
		})
	}
}
