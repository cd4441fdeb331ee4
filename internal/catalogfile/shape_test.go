package catalogfile_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/catalogfile"
)

// nestedBlock is a block mapping nested levels deep, one key per line, each indented two more spaces.
func nestedBlock(levels int) string {
	var b strings.Builder
	for i := range levels {
		b.WriteString(strings.Repeat("  ", i) + "a:\n")
	}
	return b.String()
}

// manyKeys is a mapping of n keys, in block form or in flow form.
func manyKeys(n int, flow bool) string {
	var b strings.Builder
	for i := range n {
		if flow {
			fmt.Fprintf(&b, "k%d: 1, ", i)
		} else {
			fmt.Fprintf(&b, "k%d: 1\n", i)
		}
	}
	if flow {
		return "{" + b.String() + "}"
	}
	return b.String()
}

func TestParseRefusesFilesNestedTooDeepOrWithTooManyKeys(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		file string
		want string
	}{
		{"100,000 nested flow sequences", strings.Repeat("[", 100_000),
			"c.yaml:1:65: values are nested more than 64 levels deep"},
		{"100,000 nested flow mappings", strings.Repeat("{a: ", 100_000),
			"c.yaml:1:257: values are nested more than 64 levels deep"},
		{"100,000 nested sequences on one line", strings.Repeat("- ", 100_000) + "x\n",
			"c.yaml:1:129: values are nested more than 64 levels deep"},
		{"block mappings nested by indentation", nestedBlock(200),
			"c.yaml:65:129: values are nested more than 64 levels deep"},
		{"a block mapping of 100,000 keys", manyKeys(100_000, false),
			"c.yaml:1001:1: a mapping holds more than 1000 keys"},
		{"a flow mapping of 100,000 keys", manyKeys(100_000, true),
			"c.yaml:1:8892: a mapping holds more than 1000 keys"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// When such a file is parsed
			_, err := catalogfile.Parse("c.yaml", []byte(tt.file))

			// Then it is refused with one positioned error, before the parser's quadratic work
			if err == nil || err.Error() != tt.want {
				t.Fatalf("Parse error = %.300v, want %s", err, tt.want)
			}
		})
	}
}

func TestParseQuotesOnlyTheStartOfAHugeUnknownKey(t *testing.T) {
	t.Parallel()
	// Given an unknown key of a megabyte
	file := "sites:\n  - " + strings.Repeat("x", 1<<20) + ": 1\n"

	// When the file is parsed
	_, err := catalogfile.Parse("c.yaml", []byte(file))

	// Then the message quotes its first 64 characters (and no suggestion is sought in it)
	want := `c.yaml:2:5: sites[0]: unknown field "` + strings.Repeat("x", 64) + `"…`
	if got, _, _ := strings.Cut(fmt.Sprint(err), "\n"); got != want {
		t.Fatalf("first error = %.300s, want %s", got, want)
	}
}

func TestParseAcceptsTheShapesOfRealCatalogsUpToTheLimits(t *testing.T) {
	t.Parallel()
	// Given files at the limits: 64 levels, 1,000 keys, and a long list of small entities written with a
	// sequence at its key's column
	var accounts strings.Builder
	accounts.WriteString("accounts:\n")
	for i := range 5000 {
		fmt.Fprintf(&accounts, "- id: %d\n  name: Account %d\n", i+1, i+1)
	}
	tests := []struct {
		name string
		file string
		want string
	}{
		{"64 levels", nestedBlock(64), "c.yaml:1:1: unknown field \"a\""},
		{"1,000 keys", manyKeys(1000, false), "c.yaml:1:1: unknown field \"k0\""},
		{"1,000 keys in flow form", manyKeys(1000, true), "c.yaml:1:2: unknown field \"k0\""},
		{"5,000 entities", accounts.String() + "sites: []\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// When it is parsed
			_, err := catalogfile.Parse("c.yaml", []byte(tt.file))

			// Then the decoder reads it: the file is refused only for its content, if at all
			got := ""
			if err != nil {
				got, _, _ = strings.Cut(err.Error(), "\n")
			}
			if got != tt.want {
				t.Fatalf("Parse error = %.300v, want %q first", err, tt.want)
			}
		})
	}
}

// BenchmarkParseNested shows that Parse's time grows linearly with the nesting an input attempts: it took
// 50 s on 100,000 '[' before the shape check.
func BenchmarkParseNested(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		data := []byte(strings.Repeat("[", n))
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				_, _ = catalogfile.Parse("c.yaml", data)
			}
		})
	}
}
