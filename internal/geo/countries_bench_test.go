package geo

import (
	"encoding/json"
	"testing"

	"golang.org/x/text/language"
)

// BenchmarkCountryList measures what GET /geo/country does for its countries, as the handler's body
// encodes them: the list named afresh from CLDR and encoded on every request (the baseline), the names kept
// but encoded on every request, and the list kept encoded (what is served). docs/benchmarks.md records
// the ratios.
func BenchmarkCountryList(b *testing.B) {
	tag := language.MustParse("fr-CA")
	_, index, _ := displayMatcher.Match(tag)
	for _, bc := range []struct {
		name string
		list func() any
	}{
		{"named-afresh", func() any { return countryNames(index) }},
		{"names-kept", func() any { return Countries(tag) }},
		{"encoded-kept", func() any { return CountriesJSON(tag) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := json.Marshal(struct {
					Countries any `json:"countries"`
				}{bc.list()}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
