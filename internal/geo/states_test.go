package geo

import (
	"maps"
	"slices"
	"testing"

	"golang.org/x/text/language"
)

func TestStatesAreNamedInTheLocale(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, locale, country, code, want string
	}{
		{"English keeps the ISO name", "en_US", "CA", "QC", "Quebec"},
		{"English keeps the romanised local name", "en", "DE", "BY", "Bayern"},
		{"French", "fr", "CA", "QC", "Québec"},
		{"French, a name unlike English", "fr", "CA", "BC", "Colombie-Britannique"},
		{"Canadian French falls back to French", "fr_CA", "CA", "BC", "Colombie-Britannique"},
		{"German", "de", "DE", "BY", "Bayern"},
		{"German, a name unlike the local one", "de", "CH", "GE", "Genf"},
		{"Swiss German has its own spelling", "de_CH", "CH", "AR", "Appenzell Ausserrhoden"},
		{"Swiss German falls back to German", "de-CH", "CH", "GE", "Genf"},
		{"Spanish", "es_MX", "US", "NY", "Nueva York"},
		{"Italian", "it", "BR", "SP", "San Paolo"},
		{"Korean", "ko", "CA", "ON", "온타리오 주"},
		{"a name CLDR lacks in German: the ISO name", "de", "EE", "49", "Jõgevamaa"},
		{"a language the API does not speak: the ISO name", "pt_BR", "CA", "BC", "British Columbia"},
		{"no CLDR names at all: the ISO name", "tlh", "CH", "GE", "Genève"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a locale, when a country's states are listed in it
			tag, err := ParseLocale(tc.locale)
			if err != nil {
				t.Fatal(err)
			}
			states := States(tc.country, tag)
			// then the state has the locale's CLDR name, or the ISO name when there is none
			if states[tc.code] != tc.want {
				t.Fatalf("States(%s, %s)[%s] = %q, want %q", tc.country, tc.locale, tc.code, states[tc.code], tc.want)
			}
		})
	}
}

func TestStatesOfACountry(t *testing.T) {
	t.Parallel()
	cases := []struct {
		country string
		count   int
	}{
		{"CA", 13},
		{"US", 57},
		{"AQ", 0}, // no subdivisions: an empty list, never nil
		{"ZZ", 0},
	}
	for _, tc := range cases {
		for _, locale := range []language.Tag{language.English, language.French, language.Korean} {
			// given a country, when its states are listed in a locale
			states := States(tc.country, locale)
			// then every locale lists the same number of them
			if states == nil || len(states) != tc.count {
				t.Errorf("States(%s, %v) = %d entries, want %d", tc.country, locale, len(states), tc.count)
			}
		}
	}
}

func TestEveryLocaleNamesEveryState(t *testing.T) {
	t.Parallel()
	iso := statesByCountry()
	// given every locale with names
	for index, tag := range subdivisionNames().tags {
		named := statesIn(index)
		// then it lists the countries and codes ISO 3166-2 lists, each with a name
		if !slices.Equal(slices.Sorted(maps.Keys(named)), slices.Sorted(maps.Keys(iso))) {
			t.Fatalf("%v lists %d countries, ISO %d", tag, len(named), len(iso))
		}
		for country, states := range iso {
			for code := range states {
				if named[country][code] == "" {
					t.Fatalf("%v has no name for %s-%s", tag, country, code)
				}
			}
		}
	}
}
