package geo

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/biter777/countries"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Why a country code was refused.
var (
	// ErrCountryMalformed is a code that is not two ASCII letters.
	ErrCountryMalformed = errors.New("geo: a country code is two letters, such as CA")
	// ErrCountryUnknown is two letters ISO 3166-1 assigns to no country (ZZ, or a code withdrawn like YU).
	ErrCountryUnknown = errors.New("geo: no country has that code")
)

var (
	// countryCodes are the ISO 3166-1 alpha-2 codes with a CLDR name, sorted: biter777/countries lists the
	// codes, withdrawn ones (AN, YU) included, and CLDR naming a code is what says it is still in use.
	countryCodes = sync.OnceValue(isoCountries)
	// displayTags are the languages CLDR names regions in, matched against a caller's locale.
	displayTags    = display.Supported.Tags()
	displayMatcher = language.NewMatcher(displayTags)
	// listsByLanguage keeps the countryList of each display language (an index of displayTags, -1 for the
	// English fallback), so what it holds is bounded by CLDR's languages, not by what callers send.
	listsByLanguage sync.Map
)

// countryList is the countries named in one language, as a map and as the JSON object the API sends: the
// object is encoded once, since encoding ~250 names on every request cost more than the rest of the answer
// (docs/benchmarks.md).
type countryList struct {
	names   map[string]string
	encoded json.RawMessage
}

func isoCountries() []language.Region {
	english := display.English.Regions()
	var codes []language.Region
	for _, country := range countries.All() {
		region, err := language.ParseRegion(country.Alpha2())
		if err != nil || !region.IsCountry() || english.Name(region) == "" {
			continue
		}
		codes = append(codes, region)
	}
	sort.Slice(codes, func(i, j int) bool { return codes[i].String() < codes[j].String() })
	return codes
}

// ParseCountry reads an ISO 3166-1 alpha-2 code in either case and returns it in upper case, or
// ErrCountryMalformed or ErrCountryUnknown.
func ParseCountry(raw string) (string, error) {
	if len(raw) != 2 || !isASCIILetter(raw[0]) || !isASCIILetter(raw[1]) {
		return "", ErrCountryMalformed
	}
	code := strings.ToUpper(raw)
	codes := countryCodes()
	i := sort.Search(len(codes), func(i int) bool { return codes[i].String() >= code })
	if i == len(codes) || codes[i].String() != code {
		return "", ErrCountryUnknown
	}
	return code, nil
}

func isASCIILetter(b byte) bool { return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' }

// Countries returns every country, code to name, named in the language of locale as CLDR names it ("CA":
// "Canada" in English, "DE": "Allemagne" in French). A language CLDR does not know gets the English names,
// and so does a single name CLDR lacks in a known language. The map is shared: callers must not change it.
func Countries(locale language.Tag) map[string]string { return countriesIn(locale).names }

// CountriesJSON is Countries encoded as a JSON object, keys sorted; shared, like the map.
func CountriesJSON(locale language.Tag) json.RawMessage { return countriesIn(locale).encoded }

func countriesIn(locale language.Tag) countryList {
	key := -1
	if _, index, confidence := displayMatcher.Match(locale); confidence != language.No {
		key = index
	}
	if list, ok := listsByLanguage.Load(key); ok {
		return list.(countryList)
	}
	names := countryNames(key)
	encoded, err := json.Marshal(names)
	if err != nil {
		panic(fmt.Sprintf("geo: a map of strings does not encode: %v", err)) // cannot happen
	}
	list, _ := listsByLanguage.LoadOrStore(key, countryList{names: names, encoded: encoded})
	return list.(countryList)
}

func countryNames(displayIndex int) map[string]string {
	english := display.English.Regions()
	namer := english
	if displayIndex >= 0 {
		if localized := display.Regions(displayTags[displayIndex]); localized != nil {
			namer = localized
		}
	}
	codes := countryCodes()
	names := make(map[string]string, len(codes))
	for _, region := range codes {
		name := namer.Name(region)
		if name == "" {
			name = english.Name(region)
		}
		names[region.String()] = name
	}
	return names
}
