package aggregates_test

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

func TestTextFault(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		text       string
		singleLine string // the fault a single-line text reports; "" accepted
		multiLine  string
	}{
		{"empty text", "", "", ""},
		{"letters of every script, emoji, symbols", "Zoë 李 Ωμέγα 😀 ½ €", "", ""},
		{"format characters are text (zero-width joiner, right-to-left mark)", "👩\u200d💻 \u200fعلي", "", ""},
		{"the replacement character is text", "a\ufffdb", "", ""},
		{"NUL", "a\x00b", "U+0000 at character 2", "U+0000 at character 2"},
		{"other C0 controls", "ab\x1b[31m", "U+001B at character 3", "U+001B at character 3"},
		{"DEL", "a\x7f", "U+007F at character 2", "U+007F at character 2"},
		{"C1 controls, counted in characters", "éé\u0085", "U+0085 at character 3", "U+0085 at character 3"},
		{"tab", "a\tb", "U+0009 at character 2", ""},
		{"line feed and carriage return", "a\r\nb", "U+000D at character 2", ""},
		{"Unicode line and paragraph separators", "a\u2028b\u2029", "U+2028 at character 2", ""},
		{"invalid UTF-8", "ab\xffc", "invalid UTF-8 at byte 3", "invalid UTF-8 at byte 3"},
		{"an encoded UTF-16 surrogate", "a\xed\xa0\x80", "invalid UTF-8 at byte 2", "invalid UTF-8 at byte 2"},
		{"a truncated sequence", "é\xc3", "invalid UTF-8 at byte 3", "invalid UTF-8 at byte 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// given a text, when it is checked as each kind, then the fault (or none) is reported
			if got := aggregates.TextFault(tt.text, aggregates.SingleLine); got != tt.singleLine {
				t.Errorf("single line %q: fault %q, want %q", tt.text, got, tt.singleLine)
			}
			if got := aggregates.TextFault(tt.text, aggregates.MultiLine); got != tt.multiLine {
				t.Errorf("multi-line %q: fault %q, want %q", tt.text, got, tt.multiLine)
			}
		})
	}
}

// walked has every shape TextProblems walks.
type walked struct {
	Name        string         `json:"name"`
	Description string         `json:"description" text:"multiline"`
	Nickname    *string        `json:"nickname,omitempty"`
	Tags        []string       `json:"tags"`
	Kind        walkedKind     `json:"kind"`
	Meta        map[string]any `json:"meta" text:"multiline"`
	Skipped     string         `json:"-"`
	Untagged    string
	When        time.Time `json:"when"`
	Count       int       `json:"count"`
	embedded
	hidden string
}

type walkedKind string

type embedded struct {
	Caption string `json:"caption"`
}

func TestTextProblemsWalksEveryText(t *testing.T) {
	t.Parallel()
	bad := "a\x00b"
	tests := []struct {
		name  string
		value walked
		want  []string // fields reported, in order
	}{
		{"acceptable texts", walked{Name: "Ann", Description: "two\nlines", Tags: []string{"a"},
			Meta: map[string]any{"note": "line 1\r\nline 2", "nested": []any{map[string]any{"k": 1.5}}}, hidden: bad}, nil},
		{"every field named as JSON names it", walked{Name: bad, Description: bad, Nickname: &bad, Kind: walkedKind(bad),
			Untagged: bad, Skipped: bad, embedded: embedded{Caption: bad}},
			[]string{"name", "description", "nickname", "kind", "Untagged", "caption"}},
		{"slice elements by index", walked{Tags: []string{"ok", bad, "ok", bad}}, []string{"tags[1]", "tags[3]"}},
		{"single-line fields refuse line breaks", walked{Name: "a\nb", Tags: []string{"a\tb"}}, []string{"name", "tags[0]"}},
		{"a map key is single-line", walked{Meta: map[string]any{"a\nb": "x"}}, []string{"meta"}},
		{"a nested map value is reported once under the map", walked{Meta: map[string]any{
			"a": []any{"ok", map[string]any{"b": bad}}, "c": bad}}, []string{"meta"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// when the value is walked
			problems := aggregates.TextProblems(&tt.value)
			// then exactly the fields holding a refused text are reported, as printable problems with a detail
			if len(problems) != len(tt.want) {
				t.Fatalf("problems = %v, want fields %v", problems, tt.want)
			}
			for i, p := range problems {
				if p.Field != tt.want[i] || p.Rule != aggregates.RulePrintable || p.Detail == "" {
					t.Fatalf("problem %d = %+v, want field %s, rule printable and a detail", i, p, tt.want[i])
				}
			}
		})
	}
}
