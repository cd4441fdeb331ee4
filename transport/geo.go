package transport

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/netip"

	"github.com/pelcro-oss/pelcro-api/internal/geo"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// Locator finds where an address is (geo.Database: a MaxMind-format database, or none). It answers the
// unknown location for an address it has no record of, and an error only when its data cannot be read.
type Locator interface {
	Locate(addr netip.Addr) (geo.Location, error)
}

// geoHandlers serve the geography endpoints (spec #25, #26; docs/geo.md).
type geoHandlers struct {
	locator        Locator
	trustedProxies []netip.Prefix
	log            *slog.Logger
}

// countriesBody is the answer of #25, whose envelope has "error": false besides data (spec 1.6).
type countriesBody struct {
	Error bool          `json:"error"`
	Data  countriesData `json:"data"`
}

type countriesData struct {
	SelectedCountry string            `json:"selected_country"`
	Countries       json.RawMessage   `json:"countries"`
	States          map[string]string `json:"states"`
}

// countries is GET /geo/country[/{country_code}]: every country named in the locale's language, the
// selected country (the one in the path when a country has that code, else the caller's, else the site's) and its states. An answer
// naming the country in its URL is the same for everyone and edges may keep it; one that found the caller's
// country is private.
func (h geoHandlers) countries(w http.ResponseWriter, r *http.Request) {
	raw, isText := requestParams(r).Text("locale")
	locale, err := geo.ParseLocale(raw)
	if err != nil || !isText {
		writeValidation(w, r, fieldErrors{"locale": {i18n.GeoLocaleInvalid}})
		return
	}
	// A code no country has (or not a code at all) falls back to the caller's country, as no code does: a
	// form asking for a country it cannot have still gets a usable list.
	selected, cache := "", catalogCache
	if code, inPath := pathVar(r, "country_code"); inPath {
		selected, err = geo.ParseCountry(code)
	}
	if selected == "" || err != nil {
		selected, cache = h.callerCountry(r), callerCache
	}
	writeCached(w, r, http.StatusOK, cache, countriesBody{Data: countriesData{
		SelectedCountry: selected,
		Countries:       geo.CountriesJSON(locale),
		States:          geo.States(selected, locale),
	}})
}

// callerCountry is the caller's country, else the site's (the country of its default locale), else US.
func (h geoHandlers) callerCountry(r *http.Request) string {
	if location := h.locate(r); location.Known() {
		return location.CountryCode
	}
	site, _ := requestSite(r)
	if country := geo.CountryOfLocale(site.DefaultLocale); country != "" {
		return country
	}
	return "US"
}

// location is GET /location: {"data": Location}, every field null when the caller cannot be placed. It
// depends on the caller's address, so only the browser may keep it.
func (h geoHandlers) location(w http.ResponseWriter, r *http.Request) {
	writeCached(w, r, http.StatusOK, callerCache, dataBody{Data: h.locate(r)})
}

// locate places the caller: its address in the database first, then the location headers of a CDN, read
// only from a trusted proxy since a client can send them too. A database that cannot be read is logged and
// treated as knowing nothing: a location is a hint for forms, never worth a failed request.
func (h geoHandlers) locate(r *http.Request) geo.Location {
	if ip, ok := callerIP(r, h.trustedProxies); ok {
		location, err := h.locator.Locate(ip)
		if err != nil {
			h.log.ErrorContext(r.Context(), "geolocation failed", requestIDs(r), "error", err)
		}
		if location.Known() {
			return location
		}
	}
	if viaTrustedProxy(r, h.trustedProxies) {
		return geo.FromHeaders(r.Header)
	}
	return geo.Location{}
}
