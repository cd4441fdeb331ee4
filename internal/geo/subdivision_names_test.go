package geo

import (
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"golang.org/x/text/language"
)

func TestTheSubdivisionNamesFileParses(t *testing.T) {
	t.Parallel()
	// given the generated file, when it is read
	tables, err := parseSubdivisionNames(subdivisionsFile)
	if err != nil {
		t.Fatal(err)
	}
	// then every language the API speaks but English has a table of some thousands of names
	for _, spoken := range i18n.Supported() {
		if spoken == i18n.English {
			continue
		}
		if names := tables.names[string(spoken)]; len(names) < 1000 {
			t.Errorf("%s has %d names", spoken, len(names))
		}
	}
}

func TestParseSubdivisionNames(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, text string
		wantError  string // "" when it parses
	}{
		{name: "tables with comments", text: "# generated\n[fr]\nCA-QC\tQuébec\n\n[fr-CA]\nCA-BC\tC.-B.\n"},
		{name: "no tables", text: "# nothing\n"},
		{name: "a name before any locale", text: "CA-QC\tQuébec\n", wantError: "line 1"},
		{name: "a line without a tab", text: "[fr]\nCA-QC Québec\n", wantError: "line 2"},
		{name: "a code without a hyphen", text: "[fr]\nCAQC\tQuébec\n", wantError: "line 2"},
		{name: "an empty name", text: "[fr]\nCA-QC\t\n", wantError: "line 2"},
		{name: "a locale twice", text: "[fr]\n[de]\n[fr]\n", wantError: "line 3"},
		{name: "English, which keeps the ISO names", text: "[en]\n", wantError: "line 1"},
		{name: "not a locale", text: "[12]\n", wantError: "line 1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a names file, when it is read
			_, err := parseSubdivisionNames(tc.text)
			// then it parses, or the error names the line at fault
			if tc.wantError == "" && err != nil || tc.wantError != "" && (err == nil || !strings.Contains(err.Error(), tc.wantError)) {
				t.Fatalf("parseSubdivisionNames = %v, want an error with %q", err, tc.wantError)
			}
		})
	}
}

func TestASubLocaleFallsBackThroughItsParent(t *testing.T) {
	t.Parallel()
	// given French names and a Canadian French one of its own
	tables, err := parseSubdivisionNames("[fr]\nCA-QC\tQuébec\nCA-BC\tColombie-Britannique\n[fr-CA]\nCA-BC\tC.-B.\n")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		locale, code, want string
	}{
		{"fr-CA", "CA-BC", "C.-B."},  // its own name
		{"fr-CA", "CA-QC", "Québec"}, // its parent's
		{"fr-CA", "CA-ON", "Ontario"},
		{"fr-BE", "CA-BC", "Colombie-Britannique"}, // another French: French
		{"fr", "CA-ON", "Ontario"},                 // none in French: the ISO name
		{"en", "CA-QC", "Quebec"},
		{"ko", "CA-QC", "Quebec"}, // no Korean table here: English
	}
	for _, tc := range cases {
		// when a subdivision is named in a locale, then it takes the nearest name, else the ISO one
		isoName := statesByCountry()["CA"][strings.TrimPrefix(tc.code, "CA-")]
		if got := tables.name(tables.match(language.MustParse(tc.locale)), tc.code, isoName); got != tc.want {
			t.Errorf("%s %s = %q, want %q", tc.locale, tc.code, got, tc.want)
		}
	}
}
