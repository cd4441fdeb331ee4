// Package i18n owns the languages the API speaks and the catalogue of every human-readable message it sends,
// so that validation and error texts follow the caller's language (spec section 1.4).
package i18n

import (
	"cmp"
	"slices"
	"strings"

	"golang.org/x/text/language"
)

// Language is a supported ISO 639-1 code. Only the constants below are valid values; Parse and
// MatchAcceptLanguage are the only ways to turn caller input into one.
type Language string

// The languages of spec section 1.4. English is the fallback when nothing else applies.
const (
	English Language = "en"
	French  Language = "fr"
	Italian Language = "it"
	Korean  Language = "ko"
	Spanish Language = "es"
	German  Language = "de"
)

// Fallback is the language used when neither the caller nor the site names a supported one.
const Fallback = English

// supported lists the languages in matcher order. Warning: the first entry is the matcher's default, and
// the message catalogue must hold a file for every entry.
var supported = []Language{English, French, Italian, Korean, Spanish, German}

var matcher = language.NewMatcher(tagsOf(supported))

// maxAcceptLanguageLength bounds the header we are willing to parse, so a hostile header costs little.
const maxAcceptLanguageLength = 1024

// Supported returns the languages the API speaks, English first.
func Supported() []Language { return slices.Clone(supported) }

// Parse maps a caller-supplied code to a supported language. It accepts what front ends send in practice:
// "fr", "FR", "fr-CA" and the locale form "fr_CA" (as in a site's default_locale). It reports false for
// anything unsupported, so callers can move on to the next source of the language.
func Parse(code string) (Language, bool) {
	tag, err := language.Parse(strings.ReplaceAll(strings.TrimSpace(code), "_", "-"))
	if err != nil {
		return "", false
	}
	return match(tag)
}

// MatchAcceptLanguage picks the supported language the Accept-Language header prefers most, honouring
// q-values. Entries that cannot be parsed are skipped rather than spoiling the whole header; it reports
// false when no entry names a supported language.
func MatchAcceptLanguage(header string) (Language, bool) {
	if header == "" || len(header) > maxAcceptLanguageLength {
		return "", false
	}
	type weighted struct {
		tag language.Tag
		q   float32
	}
	var entries []weighted
	for part := range strings.SplitSeq(header, ",") {
		tags, qs, err := language.ParseAcceptLanguage(part)
		if err != nil {
			continue
		}
		for i, tag := range tags {
			entries = append(entries, weighted{tag, qs[i]})
		}
	}
	slices.SortStableFunc(entries, func(a, b weighted) int { return cmp.Compare(b.q, a.q) })
	for _, e := range entries {
		if lang, ok := match(e.tag); ok {
			return lang, true
		}
	}
	return "", false
}

// match accepts a tag only when the matcher is confident, so "pt" does not silently become English and stop
// the caller from trying the next source.
func match(tag language.Tag) (Language, bool) {
	_, index, confidence := matcher.Match(tag)
	if confidence < language.High {
		return "", false
	}
	return supported[index], true
}

func tagsOf(langs []Language) []language.Tag {
	tags := make([]language.Tag, len(langs))
	for i, l := range langs {
		tags[i] = language.MustParse(string(l))
	}
	return tags
}
