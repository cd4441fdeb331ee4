package customer

import (
	"strings"

	"github.com/biter777/countries"
)

// The country and state codes an address may name (spec 2.8) come from biter777/countries, which compiles
// ISO 3166-1 and ISO 3166-2 into Go code (no data file to load, no start-up cost). Its country names are
// English only; the geo endpoints' names in the API's languages are CLDR's, which golang.org/x/text's
// language/display package has for these same codes.
//
// Warning: upgrading the library can change the sets below, and a code that leaves them makes stored
// addresses of that country or state impossible to update without changing it (the tests pin the counts).

// notAssigned are codes the library keeps for old records that ISO 3166-1 does not assign to a country
// today: AN and YU were withdrawn (2010, 2003), XK is in the user-assigned range.
var notAssigned = []countries.CountryCode{countries.AN, countries.XK, countries.YU}

// countryCodes are the officially assigned ISO 3166-1 alpha-2 codes.
var countryCodes = func() map[string]bool {
	out := map[string]bool{}
	for _, c := range countries.All() {
		out[c.Alpha2()] = true
	}
	for _, c := range notAssigned {
		delete(out, c.Alpha2())
	}
	return out
}()

// statesByCountry are the state codes of the countries whose addresses need one (spec 2.8: US, CA and AU):
// their ISO 3166-2 subdivision codes without the country prefix (two or three letters), and for the US
// also the postal service's military "states" AA, AE and AP, which addresses of US forces use but ISO
// 3166-2 does not list.
var statesByCountry = map[string]map[string]bool{
	"US": subdivisionCodes(countries.US, "AA", "AE", "AP"),
	"CA": subdivisionCodes(countries.CA),
	"AU": subdivisionCodes(countries.AU),
}

// subdivisionCodes are the codes of country's ISO 3166-2 subdivisions without the "CC-" prefix, and extra.
func subdivisionCodes(country countries.CountryCode, extra ...string) map[string]bool {
	out := map[string]bool{}
	for _, s := range country.Subdivisions() {
		out[strings.TrimPrefix(string(s), country.Alpha2()+"-")] = true
	}
	for _, code := range extra {
		out[code] = true
	}
	return out
}

// IsCountry says whether code is an officially assigned ISO 3166-1 alpha-2 country code, in upper case.
func IsCountry(code string) bool { return countryCodes[code] }
