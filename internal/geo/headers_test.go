package geo

import (
	"net/http"
	"testing"
)

func TestFromHeaders(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		headers map[string]string
		expect  Location
	}{
		{"none", nil, Location{}},
		{"Cloudflare's country alone", map[string]string{"CF-IPCountry": "DE"}, Location{CountryCode: "DE", Continent: "EU", IsEUCountry: true}},
		{"Cloudflare's visitor location headers", map[string]string{
			"CF-IPCountry": "US", "CF-IPCity": "Chicago", "CF-IPContinent": "NA", "CF-IPLatitude": "41.8781",
			"CF-IPLongitude": "-87.6298", "CF-Postal-Code": "60601", "CF-Metro-Code": "602", "CF-Region": "Illinois",
			"CF-Region-Code": "IL", "CF-Timezone": "America/Chicago",
		}, Location{CountryCode: "US", City: "Chicago", Continent: "NA", Latitude: "41.8781", Longitude: "-87.6298",
			PostalCode: "60601", MetroCode: "602", Region: "Illinois", RegionCode: "IL", Timezone: "America/Chicago"}},
		{"Cloudflare's unknown and Tor", map[string]string{"CF-IPCountry": "XX"}, Location{}},
		{"Tor", map[string]string{"CF-IPCountry": "T1", "CF-IPCity": "Nowhere"}, Location{}},
		{"CloudFront", map[string]string{
			"CloudFront-Viewer-Country": "CA", "CloudFront-Viewer-City": "Montréal",
			"CloudFront-Viewer-Country-Region": "QC", "CloudFront-Viewer-Country-Region-Name": "Quebec",
			"CloudFront-Viewer-Time-Zone": "America/Toronto",
		}, Location{CountryCode: "CA", City: "Montréal", Continent: "NA", Region: "Quebec", RegionCode: "QC", Timezone: "America/Toronto"}},
		{"Cloudflare first", map[string]string{"CF-IPCountry": "FR", "CloudFront-Viewer-Country": "CA"},
			Location{CountryCode: "FR", Continent: "EU", IsEUCountry: true}},
		{"Cloudflare unknown, CloudFront known", map[string]string{"CF-IPCountry": "XX", "CloudFront-Viewer-Country": "JP"},
			Location{CountryCode: "JP", Continent: "AS"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a request whose CDN set these headers
			h := http.Header{}
			for name, value := range tc.headers {
				h.Set(name, value)
			}
			// when its location is read from them, then it is what the CDN said, checked
			if got := FromHeaders(h); got != tc.expect {
				t.Fatalf("got %+v\nwant %+v", got, tc.expect)
			}
		})
	}
}

// FuzzFromHeaders: whatever a proxy forwards, reading it never panics, and what comes out is either the
// unknown location or one whose every field is of its documented form, so it always encodes.
func FuzzFromHeaders(f *testing.F) {
	f.Add("US", "Chicago", "NA", "41.8", "-87.6", "60601", "602", "Illinois", "IL", "America/Chicago")
	f.Add("XX", "\x00", "??", "NaN", "Inf", "<script>", "-1", "\xff", "TOOLONG", "../../etc")
	f.Fuzz(func(t *testing.T, country, city, continent, lat, long, postal, metro, region, code, zone string) {
		h := http.Header{}
		for name, value := range map[string]string{"CF-IPCountry": country, "CF-IPCity": city, "CF-IPContinent": continent,
			"CF-IPLatitude": lat, "CF-IPLongitude": long, "CF-Postal-Code": postal, "CF-Metro-Code": metro,
			"CF-Region": region, "CF-Region-Code": code, "CF-Timezone": zone} {
			h.Set(name, value)
		}
		location := FromHeaders(h)
		if !location.Known() {
			if location != (Location{}) {
				t.Fatalf("an unknown location with fields: %+v", location)
			}
			return
		}
		if _, err := ParseCountry(location.CountryCode); err != nil {
			t.Fatalf("country %q: %v", location.CountryCode, err)
		}
		if (location.Latitude == "") != (location.Longitude == "") || location.Continent == "" {
			t.Fatalf("half a coordinate or no continent: %+v", location)
		}
		if _, err := location.MarshalJSON(); err != nil {
			t.Fatalf("%+v does not encode: %v", location, err)
		}
	})
}
