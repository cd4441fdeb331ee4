// Package geo answers the two geography questions of the Open API: which countries and subdivisions a form
// offers, named in the caller's locale (GET /geo/country, spec #25), and where an IP address is
// (GET /location, #26). Every list comes from maintained data, never from tables typed here: ISO 3166-1 codes
// from github.com/biter777/countries, their names from CLDR through golang.org/x/text/language/display, ISO
// 3166-2 subdivisions from github.com/biter777/countries with their names in the API's languages generated
// from a pinned CLDR release (gensubdivisions), and locations from a MaxMind-format database or a trusted
// CDN's headers. docs/geo.md says which answer comes from where.
package geo

import (
	"errors"
	"strings"

	"golang.org/x/text/language"
)

// DefaultLocale is the locale of a request that names none (spec #25).
const DefaultLocale = "en_US"

// maxLocaleLength bounds what the parser reads: a real locale with every extension stays well below it.
const maxLocaleLength = 64

// ErrLocaleInvalid is a locale that is not a BCP 47 / POSIX-style locale at all ("12", "fr__CA").
var ErrLocaleInvalid = errors.New("geo: not a locale such as en_US or fr")

// ParseLocale reads a locale as the API takes it: a full locale with an underscore or a hyphen ("fr_CA",
// "en-US") or an ISO 639-1 language alone ("fr"), in any case; "" is DefaultLocale. A well-formed locale of
// a language CLDR has no names in ("tlh", "zz_ZZ") is accepted: its names fall back to English, as the spec
// falls back for unsupported languages (1.4). Only text no locale can be is refused.
func ParseLocale(raw string) (language.Tag, error) {
	if raw == "" {
		raw = DefaultLocale
	}
	if len(raw) > maxLocaleLength {
		return language.Und, ErrLocaleInvalid
	}
	tag, err := language.Parse(strings.ReplaceAll(raw, "_", "-"))
	var unknown language.ValueError
	if err != nil && !errors.As(err, &unknown) {
		return language.Und, ErrLocaleInvalid
	}
	if err != nil {
		// Parse leaves the rest of a tag with an unknown subtag as written (und-ZR): canonicalise it so
		// every spelling of a locale names countries alike (und-CD).
		tag, _ = language.Default.Canonicalize(tag)
	}
	return tag, nil
}

// CountryOfLocale is the country a locale names ("CA" for "fr_CA"), else the country its language is most
// likely spoken in ("FR" for "fr"), else "": the site's country when the caller's cannot be found (spec #25
// says "the account's country"; the catalog keeps none, so the site's default_locale stands for it).
func CountryOfLocale(locale string) string {
	tag, err := ParseLocale(locale)
	if err != nil {
		return ""
	}
	region, confidence := tag.Region()
	if confidence == language.No {
		return ""
	}
	if code, err := ParseCountry(region.String()); err == nil {
		return code
	}
	return ""
}
