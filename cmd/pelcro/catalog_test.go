package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runPelcro runs the binary's command tree with args and returns stdout, stderr and the error main would
// turn into exit status 1.
func runPelcro(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	root := newRootCommand()
	var stdout, stderr bytes.Buffer
	root.SetOut(&stdout)
	root.SetErr(&stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(t.Context())
	return stdout.String(), stderr.String(), err
}

func TestCatalogImportPrintsASummaryAndIsIdempotent(t *testing.T) {
	t.Parallel()
	databaseURL := migratedDatabase(t)
	importExample := func() string {
		out, errOut, err := runPelcro(t, "--database-url", databaseURL, "--eventstore-url", "",
			"catalog", "import", "../../examples/catalog.yaml")
		if err != nil {
			t.Fatalf("catalog import: %v\n%s", err, errOut)
		}
		return out
	}

	// When the example is imported, then imported again
	first, second := importExample(), importExample()

	// Then the first run creates everything and the second changes nothing
	for _, want := range []string{"plan        6        0          0", "segment        2        0          0", "total       25        0          0"} {
		if !strings.Contains(strings.Join(strings.Fields(first), " "), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("first summary lacks %q:\n%s", want, first)
		}
	}
	if !strings.Contains(strings.Join(strings.Fields(second), " "), "total 0 0 25") {
		t.Errorf("second summary is not all unchanged:\n%s", second)
	}
}

func TestCatalogImportReportsPositionedErrorsAndFails(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file string
		want       []string // lines of stderr, after the file's path
	}{
		{"an unknown field and a missing reference",
			"sites:\n  - id: 1\n    account_id: 9\n    name: X\n    default_currency: usd\n    default_locale: en_US\n    colour: red\n",
			[]string{":3:17: sites[0].account_id: names account 9, which the file does not define",
				`:7:5: sites[0]: unknown field "colour"`}},
		{"control characters, like any broken rule, with the character and where it is",
			"accounts:\n  - id: 1\n    name: \"Media\\0Group\"\nsites:\n  - id: 1\n    account_id: 1\n" +
				"    name: \"News\\nsite\"\n    default_currency: usd\n    default_locale: en_US\n",
			[]string{":3:11: accounts[0].name: must be text without control characters or invalid UTF-8, found U+0000 at character 6",
				":7:11: sites[0].name: must be text without control characters or invalid UTF-8, found U+000A at character 5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Given a file with two mistakes
			path := filepath.Join(t.TempDir(), "bad.yaml")
			if err := os.WriteFile(path, []byte(tt.file), 0o600); err != nil {
				t.Fatal(err)
			}

			// When it is imported (no database is needed to reject it)
			_, errOut, err := runPelcro(t, "catalog", "import", path)

			// Then the command fails, imports nothing and names both mistakes with their positions
			if err == nil || !strings.Contains(err.Error(), "2 error(s), nothing imported") {
				t.Fatalf("err = %v, want a failure counting 2 errors", err)
			}
			for _, want := range tt.want {
				if !strings.Contains(errOut, path+want) {
					t.Errorf("stderr lacks %q:\n%s", path+want, errOut)
				}
			}
		})
	}
}
