package transport

import (
	"fmt"
	"net/http"
	"reflect"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
	"github.com/pelcro-oss/pelcro-api/queries"
)

func TestSiteIDIsRequiredAndChecked(t *testing.T) {
	t.Parallel()
	router := newTestRouter(t, Dependencies{Sites: testSites})
	const json, form = "application/json", "application/x-www-form-urlencoded"
	cases := []struct {
		name        string
		req         *http.Request
		wantMessage string
	}{
		{"missing", request("GET", probePath, "", ""), "The site id field is required."},
		{"empty", request("GET", probePath+"?site_id=", "", ""), "The site id field is required."},
		{"null in the body", request("POST", probePath, json, `{"site_id":null}`), "The site id field is required."},
		{"not a number", request("GET", probePath+"?site_id=abc", "", ""), "The site id must be an integer."},
		{"a decimal", request("POST", probePath, json, `{"site_id":12.5}`), "The site id must be an integer."},
		{"an object", request("POST", probePath, json, `{"site_id":{"id":1}}`), "The site id must be an integer."},
		{"a list", request("POST", probePath, json, `{"site_id":[1232]}`), "The site id must be an integer."},
		{"an empty object", request("POST", probePath, json, `{"site_id":{}}`), "The site id field is required."},
		{"an empty list", request("POST", probePath, json, `{"site_id":[]}`), "The site id field is required."},
		{"an empty list with a space", request("POST", probePath, json, `{"site_id":[ ]}`), "The site id field is required."},
		{"an empty object over lines", request("POST", probePath, json, "{\"site_id\":{\n}}"), "The site id field is required."},
		{"unknown", request("GET", probePath+"?site_id=404", "", ""), "The selected site id is invalid."},
		{"zero", request("GET", probePath+"?site_id=0", "", ""), "The selected site id is invalid."},
		{"negative", request("GET", probePath+"?site_id=-5", "", ""), "The selected site id is invalid."},
		{"beyond int32", request("GET", probePath+"?site_id=2147483648", "", ""), "The selected site id is invalid."},
		{"beyond int64", request("GET", probePath+"?site_id=99999999999999999999", "", ""), "The selected site id is invalid."},
		{"unknown in a form", request("POST", probePath, form, "site_id=5"), "The selected site id is invalid."},
		{"body wins over query", request("POST", probePath+"?site_id=1232", json, `{"site_id":5}`), "The selected site id is invalid."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// when a site-scoped endpoint is called without a usable site_id
			rec := serve(router, tc.req)
			// then it answers 400 in the validation shape, keyed by site_id
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status = %d, want 400; body %s", rec.Code, rec.Body)
			}
			got := decodeBody[map[string]map[string][]string](t, rec)
			want := map[string]map[string][]string{"errors": {"site_id": {tc.wantMessage}}}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("body = %v, want %v", got, want)
			}
		})
	}
}

func TestKnownSiteReachesTheHandlerFromEverySource(t *testing.T) {
	t.Parallel()
	router := newTestRouter(t, Dependencies{Sites: testSites})
	cases := []struct {
		name string
		req  *http.Request
	}{
		{"query", request("GET", probePath+"?site_id=1232", "", "")},
		{"JSON number", request("POST", probePath, "application/json", `{"site_id":1232}`)},
		{"JSON string", request("POST", probePath, "application/json; charset=utf-8", `{"site_id":"1232"}`)},
		{"form", request("POST", probePath, "application/x-www-form-urlencoded", "site_id=1232")},
		{"uncached data envelope", request("PUT", probePath, "application/json", `{"site_id":1232}`)},
		{"body over a wrong query", request("POST", probePath+"?site_id=5", "application/json", `{"site_id":1232}`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// when the site is named
			rec := serve(router, tc.req)
			// then the handler runs with the site the directory returned
			if rec.Code != http.StatusOK {
				t.Fatalf("status = %d, want 200; body %s", rec.Code, rec.Body)
			}
			got := decodeBody[struct{ Data probeData }](t, rec).Data
			if got.SiteID != englishSite || got.AccountID != 9 {
				t.Fatalf("data = %v, want site %d of account 9", got, englishSite)
			}
		})
	}
}

func TestSiteDirectoryFailureIsAServerError(t *testing.T) {
	t.Parallel()
	// given a router whose directory cannot answer
	router := newTestRouter(t, Dependencies{Sites: testSites})
	// when a site-scoped endpoint is called with a well-formed site_id the directory fails on
	rec := serve(router, request("GET", probePath+fmt.Sprintf("?site_id=%d", siteLookupFails), "", ""))
	// then it is a 500 in the error shape, not a 400 blaming the caller
	assertError(t, rec, http.StatusInternalServerError, "An unexpected error occurred. Please try again later.")
}

func TestGetSiteShowsItsIdentityProvidersAndNullForUnsetOnes(t *testing.T) {
	t.Parallel()
	// Given the fixture catalog (the news site uses Google, Facebook and Auth0) projected by a running runner
	env := catalogtest.New(t)
	runner := env.Start()
	c := catalogtest.Catalog()
	env.Project(runner, c)
	catalog := queries.NewCatalog(env.DB)
	router := newTestRouter(t, Dependencies{Sites: CatalogSites(catalog), Catalog: catalog})
	providers := func(siteID int64) map[string]any {
		t.Helper()
		return siteFields(t, router, siteID, "google_app_id", "google_app_id_ios", "google_app_id_android",
			"facebook_app_id", "auth0_base_url", "auth0_client_id")
	}
	news := map[string]any{"google_app_id": catalogtest.GoogleAppID, "google_app_id_ios": nil,
		"google_app_id_android": nil, "facebook_app_id": catalogtest.FacebookAppID,
		"auth0_base_url": catalogtest.Auth0BaseURL, "auth0_client_id": catalogtest.Auth0ClientID}
	none := map[string]any{"google_app_id": nil, "google_app_id_ios": nil, "google_app_id_android": nil,
		"facebook_app_id": nil, "auth0_base_url": nil, "auth0_client_id": nil}

	// When each site is asked for, then its settings are shown and unset ones are null
	if got := providers(catalogtest.SiteID); !reflect.DeepEqual(got, news) {
		t.Fatalf("news site providers = %v, want %v", got, news)
	}
	if got := providers(catalogtest.OtherSiteID); !reflect.DeepEqual(got, none) {
		t.Fatalf("other site providers = %v, want %v", got, none)
	}

	// When the catalog unsets Facebook and adds an Android client, then GET /site shows the change
	c.Sites[0].FacebookAppID = ""
	c.Sites[0].GoogleAppIDAndroid = "news-android.apps.googleusercontent.com"
	env.Project(runner, c)
	news["facebook_app_id"], news["google_app_id_android"] = nil, "news-android.apps.googleusercontent.com"
	if got := providers(catalogtest.SiteID); !reflect.DeepEqual(got, news) {
		t.Fatalf("news site providers after the change = %v, want %v", got, news)
	}
}

// siteFields asks GET /site for the site, checks the answer against the OpenAPI document, and returns the
// named fields of it.
func siteFields(t *testing.T, router http.Handler, siteID int64, fields ...string) map[string]any {
	t.Helper()
	req := request(http.MethodGet, fmt.Sprintf("%s/site?site_id=%d", APIBasePath, siteID), "", "")
	rec := serve(router, req)
	documentChecker(t).CheckResponse(t, req, rec)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /site: status %d, body %s", rec.Code, rec.Body)
	}
	data := decodeBody[struct{ Data map[string]any }](t, rec).Data
	got := map[string]any{}
	for _, field := range fields {
		value, present := data[field]
		if !present {
			t.Fatalf("GET /site lacks %s: %v", field, data)
		}
		got[field] = value
	}
	return got
}

func TestGetSiteShowsTheTokenLifetimesInEffect(t *testing.T) {
	t.Parallel()
	// Given the news site with a JWT lifetime past the cap and the other site with neither setting
	env := catalogtest.New(t)
	c := catalogtest.Catalog()
	c.Sites[0].AuthTokenTTLDays, c.Sites[0].PasswordlessTokenDuration = 400, 90
	env.WaitFor(env.Start(), env.Import(c))
	catalog := queries.NewCatalog(env.DB)
	router := newTestRouter(t, Dependencies{Sites: CatalogSites(catalog), Catalog: catalog})
	cases := []struct {
		name string
		site int64
		want map[string]any
	}{
		{"settings past the cap", catalogtest.SiteID, map[string]any{"auth_token_ttl_days": 365.0, "passwordless_token_duration": 90.0}},
		{"settings left unset", catalogtest.OtherSiteID, map[string]any{"auth_token_ttl_days": 60.0, "passwordless_token_duration": 1.0}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// When the site is asked for, then it shows the lifetimes (days) its tokens and links get
			if got := siteFields(t, router, tc.site, "auth_token_ttl_days", "passwordless_token_duration"); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("lifetimes = %v, want %v", got, tc.want)
			}
		})
	}
}
