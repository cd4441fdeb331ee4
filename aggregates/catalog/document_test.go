package catalog_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
)

func TestDocumentsAreCanonicalJSONWithinLimits(t *testing.T) {
	t.Parallel()
	deep := strings.Repeat("[", catalog.MaxDocumentDepth+1) + strings.Repeat("]", catalog.MaxDocumentDepth+1)
	tests := []struct {
		name     string
		document catalog.Document
		want     []string // messages reported for sites[0].logo
	}{
		{"unset", "", nil},
		{"an object", `{"alt":"Example","url":"https://example.com/logo.png"}`, nil},
		{"a list of numbers and texts with a line break", `[1,2.5,"two\nlines",null,true]`, nil},
		{"the deepest nesting allowed", catalog.Document(deep[1 : len(deep)-1]), nil},
		{"not JSON", `{"url":`, []string{"must be a JSON value"}},
		{"keys out of order", `{"url":"u","alt":"a"}`,
			[]string{`must be canonical JSON (catalog.NewDocument), got "{\"url\":\"u\",\"alt\":\"a\"}"`}},
		{"nested too deep", catalog.Document(deep), []string{"must nest at most 32 levels, got 33"}},
		{"a NUL escaped in a value", `{"alt":"a\u0000b"}`,
			[]string{"must hold texts without control characters or invalid UTF-8, found U+0000 at character 2"}},
		{"a control character in a key", `{"\u001b":1}`,
			[]string{"must hold texts without control characters or invalid UTF-8, found U+001B at character 1"}},
		{"too long", catalog.Document(`"` + strings.Repeat("x", catalog.MaxDocumentBytes) + `"`),
			[]string{"must be at most 16384 bytes of JSON, got 16386"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// given a site whose logo is the document
			site := exampleSite()
			site.Logo = tt.document
			// when the site is checked, then exactly the expected problems are reported for the logo
			var got []string
			for _, p := range site.Problems() {
				if p.Field == "logo" {
					got = append(got, p.Message)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("logo problems = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNewDocumentIsCanonicalWhateverTheOrder(t *testing.T) {
	t.Parallel()
	// given the same value built twice, and unset
	first, err1 := catalog.NewDocument(map[string]any{"b": 1.0, "a": []any{"x", nil}})
	second, err2 := catalog.NewDocument(map[string]any{"a": []any{"x", nil}, "b": 1.0})
	unset, err3 := catalog.NewDocument(nil)
	// then both encode to the same text, which reads back as the value, and nil is the unset document
	if err1 != nil || err2 != nil || err3 != nil || first != second || first != `{"a":["x",null],"b":1}` || unset != "" {
		t.Fatalf("documents %q %q %q, errors %v %v %v", first, second, unset, err1, err2, err3)
	}
	if v, err := first.Value(); err != nil || !reflect.DeepEqual(v, map[string]any{"a": []any{"x", nil}, "b": 1.0}) {
		t.Fatalf("Value() = %v, %v", v, err)
	}
}

func TestAChangeToUnsetSurvivesTheEventsJSON(t *testing.T) {
	t.Parallel()
	// given a site change that unsets the logo and sets the paywalls
	change := catalog.SiteChanged{SiteID: 1232, Changes: catalog.SitePatch{Logo: ptr(catalog.Document("")),
		Paywalls: ptr(catalog.Document(`[{"id":1}]`))}}
	// when it is stored and read back
	encoded, err := catalog.Events.Encode(change)
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := catalog.Events.Decode(encoded.Name, encoded.SchemaVersion, encoded.Data)
	// then the logo is still a change (to unset), the paywalls the very value, and the JSON shows both as JSON
	got := decoded.(catalog.SiteChanged).Changes
	if err != nil || got.Logo == nil || *got.Logo != "" || got.Paywalls == nil || *got.Paywalls != `[{"id":1}]` ||
		!strings.Contains(string(encoded.Data), `"logo":"","paywalls":[{"id":1}]`) {
		t.Fatalf("stored %s, read back %+v, %v", encoded.Data, got, err)
	}
}
