package geo

import (
	"encoding/json"
	"testing"

	"golang.org/x/text/language"
)

// BenchmarkStates measures what GET /geo/country does for its states, as the handler's body encodes them:
// the ISO names as served before the states were translated (the baseline), and the names in the caller's
// locale, which adds matching the locale to the generated tables. docs/benchmarks.md records the ratio.
func BenchmarkStates(b *testing.B) {
	tag := language.MustParse("fr-CA")
	for _, bc := range []struct {
		name   string
		states func() map[string]string
	}{
		{"iso-names", func() map[string]string { return statesByCountry()["CA"] }},
		{"localised", func() map[string]string { return States("CA", tag) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := json.Marshal(struct {
					States map[string]string `json:"states"`
				}{bc.states()}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
