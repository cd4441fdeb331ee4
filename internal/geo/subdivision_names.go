package geo

import (
	_ "embed" // the names file
	"fmt"
	"strings"
	"sync"

	"golang.org/x/text/language"
)

//go:generate go run ./gensubdivisions -out subdivisions.txt

// subdivisionsFile holds CLDR's names of the ISO 3166-2 subdivisions in the API's languages other than
// English, generated from a pinned CLDR release (gensubdivisions; docs/geo.md says how to regenerate it).
//
//go:embed subdivisions.txt
var subdivisionsFile string

// subdivisionTables are the translated names by locale. A locale's table holds only the names that differ
// from what its fallback gives: its CLDR parent's name (de for de-CH), else the ISO 3166-2 name.
type subdivisionTables struct {
	// tags are the locales a caller's locale is matched against; tags[0] is English, which has no table:
	// English answers the ISO names.
	tags    []language.Tag
	names   map[string]map[string]string // locale tag → "CA-QC" → name
	matcher language.Matcher
}

// subdivisionNames reads the embedded file once. A file that does not parse is a build that must not run
// (TestTheSubdivisionNamesFileParses keeps that from shipping), so it panics.
var subdivisionNames = sync.OnceValue(func() subdivisionTables {
	tables, err := parseSubdivisionNames(subdivisionsFile)
	if err != nil {
		panic(fmt.Sprintf("geo: subdivisions.txt: %v", err))
	}
	return tables
})

// parseSubdivisionNames reads the generated format: "#" comments, a "[tag]" line opening each locale's
// table, and "CODE<tab>name" lines.
func parseSubdivisionNames(text string) (subdivisionTables, error) {
	tables := subdivisionTables{tags: []language.Tag{language.English}, names: make(map[string]map[string]string)}
	var table map[string]string
	for number, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			tag, err := language.Parse(line[1 : len(line)-1])
			if err != nil || tables.names[tag.String()] != nil || tag == language.English {
				return subdivisionTables{}, fmt.Errorf("line %d: %q opens no new locale", number+1, line)
			}
			table = make(map[string]string)
			tables.tags, tables.names[tag.String()] = append(tables.tags, tag), table
		default:
			code, name, ok := strings.Cut(line, "\t")
			if !ok || table == nil || name == "" || !strings.Contains(code, "-") {
				return subdivisionTables{}, fmt.Errorf("line %d: %q is not CODE<tab>name in a locale", number+1, line)
			}
			table[code] = name
		}
	}
	tables.matcher = language.NewMatcher(tables.tags)
	return tables, nil
}

// match is the index in tags of the locale whose names a caller's locale gets; 0 (English) for a language
// without a table, as the API falls back to English.
func (t subdivisionTables) match(locale language.Tag) int {
	if _, index, confidence := t.matcher.Match(locale); confidence != language.No {
		return index
	}
	return 0
}

// name is how tags[index] names the subdivision code: its own name, else its CLDR parents', else isoName.
func (t subdivisionTables) name(index int, code, isoName string) string {
	for locale := t.tags[index]; locale != language.Und; locale = locale.Parent() {
		if name, ok := t.names[locale.String()][code]; ok {
			return name
		}
	}
	return isoName
}
