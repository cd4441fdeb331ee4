package geo

import (
	"strings"
	"sync"

	"github.com/biter777/countries"
	"golang.org/x/text/language"
)

// statesByCountry maps each country code to its subdivisions named as ISO 3166-2 names them, built once:
// the library finds a country's subdivisions by walking all of them.
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

// statesByLanguage keeps, per index of subdivisionTables.tags, every country's subdivisions named in that
// locale, built on first use: what it holds is bounded by the generated locales, not by what callers send.
var statesByLanguage sync.Map

// noStates is the answer for a country without subdivisions: an empty object in JSON, never null.
var noStates = map[string]string{}

// States returns the ISO 3166-2 subdivisions of country (an upper-case alpha-2 code), keyed by the part of
// their code after the hyphen ("QC" for CA-QC) and named in the language of locale as CLDR names them
// ("Colombie-Britannique" in French). English, a language the API does not speak, and a name CLDR lacks get
// the ISO 3166-2 name, in English or the romanised local name ("British Columbia", "Bayern"). A country
// without subdivisions gets an empty map. The map is shared: callers must not change it.
func States(country string, locale language.Tag) map[string]string {
	if states, ok := statesIn(subdivisionNames().match(locale))[country]; ok {
		return states
	}
	return noStates
}

func statesIn(index int) map[string]map[string]string {
	if index == 0 {
		return statesByCountry()
	}
	if states, ok := statesByLanguage.Load(index); ok {
		return states.(map[string]map[string]string)
	}
	tables, iso := subdivisionNames(), statesByCountry()
	named := make(map[string]map[string]string, len(iso))
	for country, states := range iso {
		named[country] = make(map[string]string, len(states))
		for code, isoName := range states {
			named[country][code] = tables.name(index, country+"-"+code, isoName)
		}
	}
	states, _ := statesByLanguage.LoadOrStore(index, named)
	return states.(map[string]map[string]string)
}
