package geo

import (
	"encoding/json"
	"errors"
	"maps"
	"testing"

	"golang.org/x/text/language"
)

func TestCountriesAreNamedInTheLocale(t *testing.T) {
	t.Parallel()
	cases := []struct {
		locale, code, want string
	}{
		{"en_US", "CA", "Canada"},
		{"en_US", "DE", "Germany"},
		{"fr_CA", "DE", "Allemagne"},
		{"fr", "CI", "Côte d’Ivoire"},
		{"de", "DE", "Deutschland"},
		{"es", "DE", "Alemania"},
		{"it", "DE", "Germania"},
		{"ko", "DE", "독일"},
		{"tlh", "DE", "Germany"}, // no CLDR names in Klingon: English
		{"zz", "DE", "Germany"},
	}
	for _, tc := range cases {
		t.Run(tc.locale+"/"+tc.code, func(t *testing.T) {
			t.Parallel()
			// given a locale, when the countries are listed in it
			tag, err := ParseLocale(tc.locale)
			if err != nil {
				t.Fatal(err)
			}
			names := Countries(tag)
			// then the country has its CLDR name in that language
			if names[tc.code] != tc.want {
				t.Fatalf("Countries(%s)[%s] = %q, want %q", tc.locale, tc.code, names[tc.code], tc.want)
			}
		})
	}
}

func TestCountriesListEveryAssignedCodeWithAName(t *testing.T) {
	t.Parallel()
	// given every language CLDR names regions in
	for _, tag := range append(displayTags, language.Und) {
		names := Countries(tag)
		// then each lists the same ~250 ISO 3166-1 codes, each with a name, and no withdrawn code
		if len(names) < 240 || len(names) > 260 {
			t.Fatalf("Countries(%v) has %d entries", tag, len(names))
		}
		for code, name := range names {
			if name == "" {
				t.Fatalf("Countries(%v)[%s] has no name", tag, code)
			}
		}
		for _, withdrawn := range []string{"AN", "YU", "XX", "EU", "ZZ"} {
			if _, ok := names[withdrawn]; ok {
				t.Fatalf("Countries(%v) lists %s", tag, withdrawn)
			}
		}
	}
}

func TestParseCountry(t *testing.T) {
	t.Parallel()
	cases := []struct {
		raw, want string
		err       error
	}{
		{"CA", "CA", nil},
		{"ca", "CA", nil},
		{"gB", "GB", nil},
		{"ZZ", "", ErrCountryUnknown},
		{"YU", "", ErrCountryUnknown},
		{"XX", "", ErrCountryUnknown},
		{"T1", "", ErrCountryMalformed},
		{"CAN", "", ErrCountryMalformed},
		{"C", "", ErrCountryMalformed},
		{"", "", ErrCountryMalformed},
		{"Ç1", "", ErrCountryMalformed},
	}
	for _, tc := range cases {
		// given a code as sent, when it is read, then it is the upper-case code or the reason it is not one
		got, err := ParseCountry(tc.raw)
		if got != tc.want || !errors.Is(err, tc.err) {
			t.Errorf("ParseCountry(%q) = %q, %v; want %q, %v", tc.raw, got, err, tc.want, tc.err)
		}
	}
}

func TestCountriesJSONIsTheListEncoded(t *testing.T) {
	t.Parallel()
	for _, locale := range []string{"en_US", "fr_CA", "ko", "tlh"} {
		// given a locale, when its list is taken encoded, then it decodes to the list
		tag, err := ParseLocale(locale)
		if err != nil {
			t.Fatal(err)
		}
		var decoded map[string]string
		if err := json.Unmarshal(CountriesJSON(tag), &decoded); err != nil || !maps.Equal(decoded, Countries(tag)) {
			t.Fatalf("CountriesJSON(%s) decodes to %d names (%v), want the %d of Countries", locale, len(decoded), err, len(Countries(tag)))
		}
	}
}
