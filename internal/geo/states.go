package geo

import (
	"strings"
	"sync"

	"github.com/biter777/countries"
)

// statesByCountry maps each country code to its subdivisions, built once: the library finds a country's
// subdivisions by walking all of them.
var statesByCountry = sync.OnceValue(func() map[string]map[string]string {
	byCountry := make(map[string]map[string]string)
	for _, subdivision := range countries.AllSubdivisions() {
		country, code, ok := strings.Cut(string(subdivision), "-")
		if !ok || code == "" {
			continue
		}
		if byCountry[country] == nil {
			byCountry[country] = make(map[string]string)
		}
		byCountry[country][code] = subdivision.String()
	}
	return byCountry
})

// noStates is the answer for a country without subdivisions: an empty object in JSON, never null.
var noStates = map[string]string{}

// States returns the ISO 3166-2 subdivisions of country (an upper-case alpha-2 code), keyed by the part of
// their code after the hyphen ("QC" for CA-QC) and named as ISO 3166-2 lists them: in English or in the
// romanised local name, whatever the caller's locale, since no maintained Go module carries CLDR's
// translated subdivision names (docs/geo.md). A country without subdivisions gets an empty map. The map is
// shared: callers must not change it.
func States(country string) map[string]string {
	if states, ok := statesByCountry()[country]; ok {
		return states
	}
	return noStates
}
