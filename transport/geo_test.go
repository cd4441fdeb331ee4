package transport

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/geo"
	"github.com/pelcro-oss/pelcro-api/transport/openapitest"
)

// fakeLocator knows the addresses in its map; fail makes every lookup fail as a corrupt database does.
type fakeLocator struct {
	known map[netip.Addr]geo.Location
	fail  bool
}

func (f fakeLocator) Locate(addr netip.Addr) (geo.Location, error) {
	if f.fail {
		return geo.Location{}, errors.New("corrupt record")
	}
	return f.known[addr], nil
}

var (
	montreal = geo.Location{CountryCode: "CA", City: "Montréal", Continent: "NA", Latitude: "45.5017",
		Longitude: "-73.5673", PostalCode: "H2X", Region: "Quebec", RegionCode: "QC", Timezone: "America/Toronto"}
	geoLocator = fakeLocator{known: map[netip.Addr]geo.Location{
		netip.MustParseAddr("198.51.100.7"): montreal,
		netip.MustParseAddr("2001:db8::7"):  {CountryCode: "DE", Continent: "EU", IsEUCountry: true},
	}}
	proxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
)

// geoCase is one request to a geography endpoint: who calls, through what, and what comes back.
type geoCase struct {
	name, target, remote, forwarded string
	cfCountry                       string // CF-IPCountry
	failing                         bool   // the locator's data cannot be read
	wantStatus                      int
	wantCache                       string
}

func (tc geoCase) serve(t *testing.T, checker *openapitest.Checker) ([]byte, int) {
	t.Helper()
	locator := geoLocator
	locator.fail = tc.failing
	router := newTestRouter(t, Dependencies{Sites: testSites, Locator: locator, TrustedProxies: proxies})
	req := request("GET", APIBasePath+tc.target, "", "")
	req.RemoteAddr = tc.remote
	if tc.forwarded != "" {
		req.Header.Set("X-Forwarded-For", tc.forwarded)
	}
	if tc.cfCountry != "" {
		req.Header.Set("CF-IPCountry", tc.cfCountry)
	}
	rec := serve(router, req)
	checker.CheckResponse(t, req, rec)
	if rec.Code != tc.wantStatus {
		t.Fatalf("status = %d, want %d; body %s", rec.Code, tc.wantStatus, rec.Body)
	}
	if got := rec.Header().Get("Cache-Control"); got != tc.wantCache {
		t.Fatalf("Cache-Control = %q, want %q", got, tc.wantCache)
	}
	return rec.Body.Bytes(), rec.Code
}

func TestLocationAnswers(t *testing.T) {
	t.Parallel()
	site, checker := fmt.Sprintf("/location?site_id=%d", englishSite), documentChecker(t)
	cases := []struct {
		geoCase
		want geo.Location
	}{
		{geoCase{name: "caller in the database", remote: "198.51.100.7:4000"}, montreal},
		{geoCase{name: "IPv6 caller behind a trusted proxy", remote: "10.0.0.2:4000", forwarded: "2001:db8::7"},
			geo.Location{CountryCode: "DE", Continent: "EU", IsEUCountry: true}},
		{geoCase{name: "unknown caller", remote: "192.0.2.1:4000"}, geo.Location{}},
		{geoCase{name: "unusable peer address", remote: "pipe"}, geo.Location{}},
		{geoCase{name: "CDN header from a trusted proxy", remote: "10.0.0.2:4000", forwarded: "192.0.2.1", cfCountry: "FR"},
			geo.Location{CountryCode: "FR", Continent: "EU", IsEUCountry: true}},
		{geoCase{name: "the database wins over the CDN", remote: "10.0.0.2:4000", forwarded: "198.51.100.7", cfCountry: "FR"}, montreal},
		{geoCase{name: "CDN header from anyone else is ignored", remote: "192.0.2.1:4000", cfCountry: "FR"}, geo.Location{}},
		{geoCase{name: "an unreadable database falls back to the CDN", remote: "10.0.0.2:4000", forwarded: "198.51.100.7",
			cfCountry: "JP", failing: true}, geo.Location{CountryCode: "JP", Continent: "AS"}},
		{geoCase{name: "an unreadable database alone is unknown", remote: "198.51.100.7:4000", failing: true}, geo.Location{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a caller reaching the server as described, when it asks where it is
			tc.target, tc.wantStatus, tc.wantCache = site, 200, "private, max-age=300"
			body, _ := tc.serve(t, checker)
			// then the answer is the location found first, or every field null, never an error
			want, err := marshalData(tc.want)
			if err != nil {
				t.Fatal(err)
			}
			if string(body) != want {
				t.Fatalf("body %s\nwant %s", body, want)
			}
		})
	}
}

func TestLocationNeedsASite(t *testing.T) {
	t.Parallel()
	// given no site_id, when the location is asked, then it is the validation error on site_id
	router := newTestRouter(t, Dependencies{Sites: testSites, Locator: geoLocator})
	rec := serve(router, request("GET", APIBasePath+"/location", "", ""))
	if rec.Code != 400 || decodeBody[map[string]map[string][]string](t, rec)["errors"]["site_id"] == nil {
		t.Fatalf("status %d, body %s; want 400 on site_id", rec.Code, rec.Body)
	}
}

// marshalData is the {"data": …} body the server writes for v.
func marshalData(v any) (string, error) {
	encoded, err := json.Marshal(dataBody{Data: v})
	return string(encoded), err
}
