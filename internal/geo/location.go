package geo

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Location is where an address is, in the fields of GET /location (spec #26). A field not known is "" and
// is written as null; the zero Location is the answer for an address nothing knows (docs/geo.md).
type Location struct {
	CountryCode string // ISO 3166-1 alpha-2
	City        string
	Continent   string // two letters: AF, AN, AS, EU, NA, OC, SA
	Latitude    string // decimal degrees
	Longitude   string
	PostalCode  string
	MetroCode   string // Nielsen DMA, US only
	Region      string // the first-level subdivision's name
	RegionCode  string // its ISO 3166-2 code after the hyphen ("QC")
	Timezone    string // IANA name
	IsEUCountry bool
}

// Known reports whether anything placed the address: a location is known when its country is.
func (l Location) Known() bool { return l.CountryCode != "" }

// MarshalJSON writes the spec's field names; iso_code is the deprecated alias of countryCode.
func (l Location) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		CountryCode nullString `json:"countryCode"`
		ISOCode     nullString `json:"iso_code"`
		City        nullString `json:"city"`
		Continent   nullString `json:"continent"`
		Latitude    nullString `json:"latitude"`
		Longitude   nullString `json:"longitude"`
		PostalCode  nullString `json:"postalCode"`
		MetroCode   nullString `json:"metroCode"`
		Region      nullString `json:"region"`
		RegionCode  nullString `json:"regionCode"`
		Timezone    nullString `json:"timezone"`
		IsEUCountry bool       `json:"isEUCountry"`
	}{
		nullString(l.CountryCode), nullString(l.CountryCode), nullString(l.City), nullString(l.Continent),
		nullString(l.Latitude), nullString(l.Longitude), nullString(l.PostalCode), nullString(l.MetroCode),
		nullString(l.Region), nullString(l.RegionCode), nullString(l.Timezone), l.IsEUCountry,
	})
}

// nullString is a string written as null when empty.
type nullString string

func (s nullString) MarshalJSON() ([]byte, error) {
	if s == "" {
		return []byte("null"), nil
	}
	return json.Marshal(string(s))
}

// reported is a location as a source gives it, before checking: whatever a source sends that is not of
// its field's form is dropped, so a broken database record or header never reaches a client as is.
type reported struct {
	country, city, continent, latitude, longitude, postal, metro, region, regionCode, timezone string
	// inEU is the source's own word on EU membership, nil when it gives none.
	inEU *bool
}

// location checks every field; a location whose country is not a known code is the unknown location.
func (r reported) location() Location {
	country, err := ParseCountry(strings.TrimSpace(r.country))
	if err != nil {
		return Location{}
	}
	lat, long := coordinate(r.latitude, 90), coordinate(r.longitude, 180)
	if lat == "" || long == "" {
		lat, long = "", ""
	}
	inEU := isEUMember(country)
	if r.inEU != nil {
		inEU = *r.inEU
	}
	return Location{
		CountryCode: country,
		City:        text(r.city),
		Continent:   continentOf(country, strings.TrimSpace(r.continent)),
		Latitude:    lat,
		Longitude:   long,
		PostalCode:  token(r.postal, 16, " -"),
		MetroCode:   digits(r.metro, 6),
		Region:      text(r.region),
		RegionCode:  token(r.regionCode, 3, ""),
		Timezone:    token(r.timezone, 64, "/_+-"),
		IsEUCountry: inEU,
	}
}

// coordinate is raw as decimal degrees within ±limit, or "".
func coordinate(raw string, limit float64) string {
	v, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil || v < -limit || v > limit {
		return ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// text is a human-readable name: valid UTF-8 of at most 128 bytes without control characters, or "".
func text(raw string) string {
	raw = strings.TrimSpace(raw)
	if len(raw) > 128 || !utf8.ValidString(raw) || strings.ContainsFunc(raw, unicode.IsControl) {
		return ""
	}
	return raw
}

// token is an identifier of at most max ASCII letters, digits and the extra characters, or "".
func token(raw string, max int, extra string) string {
	raw = strings.TrimSpace(raw)
	if len(raw) > max {
		return ""
	}
	for _, c := range raw {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.ContainsRune(extra, c)) {
			return ""
		}
	}
	return raw
}

// digits is a number of at most max ASCII digits, or "".
func digits(raw string, max int) string {
	raw = strings.TrimSpace(raw)
	if len(raw) > max || strings.ContainsFunc(raw, func(c rune) bool { return c < '0' || c > '9' }) {
		return ""
	}
	return raw
}
