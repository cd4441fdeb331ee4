package geo

import (
	"net/http"
)

// cdnHeaders names the request headers one CDN fills with the caller's location. Empty names are fields
// that CDN does not send.
type cdnHeaders struct {
	country, city, continent, latitude, longitude, postal, metro, region, regionCode, timezone string
}

// cdns are the CDNs whose headers are read, first match wins: Cloudflare (CF-IPCountry always; the rest
// with its "Add visitor location headers" transform) and Amazon CloudFront (CloudFront-Viewer-*, forwarded
// by an origin request policy).
var cdns = []cdnHeaders{
	{
		country: "CF-IPCountry", city: "CF-IPCity", continent: "CF-IPContinent",
		latitude: "CF-IPLatitude", longitude: "CF-IPLongitude", postal: "CF-Postal-Code",
		metro: "CF-Metro-Code", region: "CF-Region", regionCode: "CF-Region-Code", timezone: "CF-Timezone",
	},
	{
		country: "CloudFront-Viewer-Country", city: "CloudFront-Viewer-City",
		latitude: "CloudFront-Viewer-Latitude", longitude: "CloudFront-Viewer-Longitude",
		postal: "CloudFront-Viewer-Postal-Code", metro: "CloudFront-Viewer-Metro-Code",
		region: "CloudFront-Viewer-Country-Region-Name", regionCode: "CloudFront-Viewer-Country-Region",
		timezone: "CloudFront-Viewer-Time-Zone",
	},
}

// FromHeaders returns the location a CDN put in the request's headers, or the zero Location when none
// did or the country it gave is no country (Cloudflare's XX for unknown and T1 for Tor).
//
// Warning: any client can send these headers. Read them only from a request that came through a trusted
// proxy (the transport's trusted-proxy rule), never from one that reached the server directly.
func FromHeaders(h http.Header) Location {
	for _, cdn := range cdns {
		location := reported{
			country: h.Get(cdn.country), city: get(h, cdn.city), continent: get(h, cdn.continent),
			latitude: get(h, cdn.latitude), longitude: get(h, cdn.longitude), postal: get(h, cdn.postal),
			metro: get(h, cdn.metro), region: get(h, cdn.region), regionCode: get(h, cdn.regionCode),
			timezone: get(h, cdn.timezone),
		}.location()
		if location.Known() {
			return location
		}
	}
	return Location{}
}

func get(h http.Header, name string) string {
	if name == "" {
		return ""
	}
	return h.Get(name)
}
