package catalog_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
)

// textLeaf is one text of a catalog: its path in the file's spelling and a way to set it.
type textLeaf struct {
	path string
	set  func(c *catalog.Catalog, text string)
}

// textLeaves lists every string (and string list element) the example catalog holds, found by reflection so
// a field added to any entity is listed too.
func textLeaves() []textLeaf {
	var leaves []textLeaf
	var walk func(path string, locate func(*catalog.Catalog) reflect.Value, t reflect.Type, v reflect.Value)
	walk = func(path string, locate func(*catalog.Catalog) reflect.Value, t reflect.Type, v reflect.Value) {
		switch t.Kind() {
		case reflect.String:
			leaves = append(leaves, textLeaf{path, func(c *catalog.Catalog, text string) { locate(c).SetString(text) }})
		case reflect.Slice:
			for i := range v.Len() {
				walk(fmt.Sprintf("%s[%d]", path, i), func(c *catalog.Catalog) reflect.Value { return locate(c).Index(i) },
					t.Elem(), v.Index(i))
			}
		case reflect.Struct:
			for i := range t.NumField() {
				f := t.Field(i)
				name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				child := path
				if !f.Anonymous {
					child = strings.TrimPrefix(path+"."+name, ".")
				}
				walk(child, func(c *catalog.Catalog) reflect.Value { return locate(c).Field(i) }, f.Type, v.Field(i))
			}
		}
	}
	example := exampleCatalog()
	walk("", func(c *catalog.Catalog) reflect.Value { return reflect.ValueOf(c).Elem() }, reflect.TypeFor[catalog.Catalog](),
		reflect.ValueOf(example))
	return leaves
}

func TestEveryCatalogTextRefusesControlCharacters(t *testing.T) {
	t.Parallel()
	leaves := textLeaves()
	if len(leaves) < 40 {
		t.Fatalf("found %d texts in the example catalog; the walk is broken", len(leaves))
	}
	for _, leaf := range leaves {
		t.Run(leaf.path, func(t *testing.T) {
			t.Parallel()
			// given the example catalog with a NUL in one text
			c := exampleCatalog()
			leaf.set(&c, "Tote\x00bag")
			// when it is checked, then that very field is reported
			for _, p := range c.Problems() {
				if p.Field == leaf.path {
					return
				}
			}
			t.Fatalf("a NUL in %s was accepted: %v", leaf.path, c.Problems())
		})
	}
}

func TestOnlyDescriptionsHoldLineBreaks(t *testing.T) {
	t.Parallel()
	multiLine := map[string]bool{"products[0].description": true, "products[0].plans[0].description": true,
		"products[0].plans[1].description": true, "ecommerce_products[0].description": true,
		"products[0].plans[0].gift_description": true, "products[0].plans[1].gift_description": true}
	for _, leaf := range textLeaves() {
		// given the example catalog with two lines in one text
		c := exampleCatalog()
		leaf.set(&c, "Line one\r\n\tline two")
		// when it is checked, then only descriptions accept them, and a refusal names the control character
		var reported []string
		for _, p := range c.Problems() {
			if p.Field == leaf.path {
				reported = append(reported, p.Message)
			}
		}
		switch {
		case multiLine[leaf.path] && len(reported) > 0:
			t.Errorf("%s refused two lines: %v", leaf.path, reported)
		case !multiLine[leaf.path] && len(reported) == 0:
			t.Errorf("%s accepted a line break", leaf.path)
		}
	}
	c := exampleCatalog()
	c.Sites[0].Name = "Example\x00Publication"
	want := catalog.Problems{{Field: "sites[0].name",
		Message: "must be text without control characters or invalid UTF-8, found U+0000 at character 8"}}
	if got := c.Problems(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Problems = %v, want %v", got, want)
	}
}
