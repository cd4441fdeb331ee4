package catalogfile_test

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/catalogfile"
)

// FuzzParse runs its seeds (the example catalog and a few broken variants) in every `go test`, and
// explores further under `go test -fuzz=FuzzParse`. Whatever the input, Parse must not panic, must return
// either a catalog that breaks no rule or positioned errors, never both nothing and an error.
func FuzzParse(f *testing.F) {
	example, err := os.ReadFile(exampleFile)
	if err != nil {
		f.Fatalf("read seed: %v", err)
	}
	f.Add(example)
	f.Add([]byte(validHead))
	f.Add([]byte(`{"sites": [{"id": 1, "account_id": 1, "name": "x", "default_currency": "usd"}]}`))
	f.Add([]byte("products:\n  - id: 10\n    plans:\n      - { id: 1, domains: ['*.*'], ip_addresses: ['::1/200'] }\n"))
	f.Add([]byte("tax_rates:\n  - { site_id: 1, country: CA, percentage: .nan }\n"))
	f.Add([]byte("accounts: &a [1]\nsites: *a\n"))
	f.Add([]byte(strings.Repeat("[", 1000)))
	f.Add([]byte("products:\n" + strings.Repeat("- ", 100) + "x\n"))
	f.Add([]byte("sites:\n  - {" + strings.Repeat("k: 1, ", 1100) + "}\n"))
	f.Add([]byte("a:\n" + strings.Repeat("- \n0:\n", 100)))
	f.Add([]byte(validHead + "    logo: {a: [1, 2.5, .nan, 9007199254740993, null, {b: \"\\u0000\"}]}\n    paywalls: \"\"\n"))
	f.Add([]byte(validHead + "    design_settings: " + strings.Repeat("[", 40) + strings.Repeat("]", 40) + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := catalogfile.Parse("fuzz.yaml", data)
		if err == nil {
			if problems := c.Problems(); len(problems) > 0 {
				t.Fatalf("Parse accepted a catalog with problems: %v", problems)
			}
			return
		}
		var list catalogfile.Errors
		if !errors.As(err, &list) || len(list) == 0 {
			t.Fatalf("Parse error %v is not a non-empty catalogfile.Errors", err)
		}
		for _, e := range list {
			if e.Line < 1 || e.Column < 1 || e.Message == "" || e.File != "fuzz.yaml" {
				t.Fatalf("malformed error %#v", e)
			}
		}
	})
}

func TestJSONCatalogsReadLikeYAML(t *testing.T) {
	t.Parallel()
	// Given the example catalog, and the same catalog written as JSON
	fromYAML, err := catalogfile.ParseFile(exampleFile)
	if err != nil {
		t.Fatalf("ParseFile: %v", err)
	}
	asJSON, err := json.MarshalIndent(fromYAML, "", "  ")
	if err != nil {
		t.Fatal(err)
	}

	// When the JSON is parsed
	fromJSON, err := catalogfile.Parse("catalog.json", asJSON)

	// Then it is the same catalog
	if err != nil {
		t.Fatalf("Parse JSON: %v", err)
	}
	if !reflect.DeepEqual(fromJSON, fromYAML) {
		t.Fatalf("JSON catalog differs:\n\t%+v\nwant\n\t%+v", fromJSON, fromYAML)
	}
}
