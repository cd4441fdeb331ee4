package geo

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/language"
)

func TestParseLocale(t *testing.T) {
	t.Parallel()
	cases := []struct {
		raw     string
		want    string // the tag; "" when refused
		country string // CountryOfLocale(raw)
	}{
		{"", "en-US", "US"},
		{"en_US", "en-US", "US"},
		{"fr_CA", "fr-CA", "CA"},
		{"fr-ca", "fr-CA", "CA"},
		{"FR", "fr", "FR"},
		{"ko", "ko", "KR"},
		{"de_CH", "de-CH", "CH"},
		{"tlh", "tlh", ""},      // well-formed, a language CLDR names nothing in
		{"zz_ZZ", "und-ZZ", ""}, // well-formed, unknown language; ZZ is no country
		{"12", "", ""},
		{"fr__CA", "", ""},
		{"en US", "", ""},
		{strings.Repeat("a", 65), "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.raw, func(t *testing.T) {
			t.Parallel()
			// given a locale as a caller sends it, when it is parsed
			tag, err := ParseLocale(tc.raw)
			// then it is the tag, or refused
			if tc.want == "" {
				if !errors.Is(err, ErrLocaleInvalid) {
					t.Fatalf("ParseLocale(%q) = %v, %v; want ErrLocaleInvalid", tc.raw, tag, err)
				}
			} else if err != nil || tag.String() != tc.want {
				t.Fatalf("ParseLocale(%q) = %v, %v; want %s", tc.raw, tag, err, tc.want)
			}
			// and the country it stands for is the one it names, else its language's
			if got := CountryOfLocale(tc.raw); got != tc.country {
				t.Errorf("CountryOfLocale(%q) = %q, want %q", tc.raw, got, tc.country)
			}
		})
	}
}

// FuzzParseLocale: whatever a caller sends as locale, parsing never panics, a refusal is ErrLocaleInvalid,
// an accepted locale reads back (perhaps canonicalised: und-ZR becomes und-CD) naming countries in the same
// language, it names every country, and its country is a known code or "".
func FuzzParseLocale(f *testing.F) {
	for _, seed := range []string{"", "en_US", "fr_CA", "fr", "x-private", "en-u-co-phonebk", "und", "sr_Latn_RS", "\xff", "zh_Hant_TW"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		tag, err := ParseLocale(raw)
		if err != nil {
			if !errors.Is(err, ErrLocaleInvalid) || tag != language.Und {
				t.Fatalf("ParseLocale(%q) = %v, %v; a refusal is Und and ErrLocaleInvalid", raw, tag, err)
			}
			return
		}
		names := Countries(tag)
		again, err := ParseLocale(tag.String())
		if err != nil || Countries(again)["DE"] != names["DE"] {
			t.Fatalf("ParseLocale(%q) = %v, which reads back as %v, %v", raw, tag, again, err)
		}
		if len(names) != len(countryCodes()) {
			t.Fatalf("Countries(%v) has %d names, want %d", tag, len(names), len(countryCodes()))
		}
		if country := CountryOfLocale(raw); country != "" {
			if _, err := ParseCountry(country); err != nil {
				t.Fatalf("CountryOfLocale(%q) = %q, not a country: %v", raw, country, err)
			}
		}
	})
}
