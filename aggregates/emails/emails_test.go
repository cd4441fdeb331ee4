package emails_test

import (
	"strings"
	"testing"
	"unicode"

	"pgregory.net/rapid"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/emails"
)

// legacyNormalise is the normalisation every email stored before format characters were dropped went
// through; stream names and reservation keys were derived from its result.
func legacyNormalise(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

func TestNormaliseDropsInvisibleCharacters(t *testing.T) {
	t.Parallel()
	tests := []struct{ typed, want string }{
		{"ann\u200b@example.com", "ann@example.com"},               // zero-width space
		{"\ufeffAnn@Example.com ", "ann@example.com"},              // byte order mark pasted in front
		{"an\u00adn@exam\u200dple.com", "ann@example.com"},         // soft hyphen, zero-width joiner
		{"\u200e ann@example.com\u2060", "ann@example.com"},        // direction mark before a space, word joiner
		{"a\u202en\u202cn@example.com", "ann@example.com"},         // right-to-left override and its pop
		{"ann@example.com\U000e0041\U000e007f", "ann@example.com"}, // tag characters
	}
	for _, tt := range tests {
		// given an email with format characters, when it is normalised, then they are gone
		if got := emails.Normalise(tt.typed); got != tt.want {
			t.Errorf("Normalise(%q) = %q, want %q", tt.typed, got, tt.want)
		}
	}
}

func TestNormaliseKeepsTheSpellingOfEveryEmailWithoutFormatCharacters(t *testing.T) {
	t.Parallel()
	// given emails as they were stored (and keyed) before: plain, international, and lookalikes the new
	// rules now refuse but that may already be stored
	stored := []string{"ann@example.com", "josé@exemple.fr", "用户@例子.广告", "ａｎｎ@example.com",
		"jose\u0301@exemple.fr", "ﬁ@example.com", "δοκιμή@παράδειγμα.δοκιμή"}
	for _, email := range stored {
		// when the stored spelling is normalised again, then it is unchanged, so its key and stream are too
		if got := emails.Normalise(email); got != email {
			t.Errorf("Normalise(%q) = %q: the stored spelling moved", email, got)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		// given any text without a format character
		typed := rapid.StringOf(rapid.Rune().Filter(func(r rune) bool { return !unicode.Is(unicode.Cf, r) })).Draw(t, "typed")
		// then it normalises exactly as before, and normalising is idempotent
		if got, want := emails.Normalise(typed), legacyNormalise(typed); got != want {
			t.Fatalf("Normalise(%q) = %q, was %q", typed, got, want)
		}
		if once := emails.Normalise(typed); emails.Normalise(once) != once {
			t.Fatalf("Normalise is not idempotent on %q", typed)
		}
	})
}

func TestProblemsRefuseLookalikesAndControls(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		email string
		want  aggregates.Rule // "" accepted
	}{
		{"a plain address", "ann@example.com", ""},
		{"international, composed accents", "josé@exemple.fr", ""},
		{"international scripts", "用户@例子.广告", ""},
		{"missing", "", emails.RuleRequired},
		{"256 characters", strings.Repeat("a", 244) + "@example.com", emails.RuleMaxLength},
		{"255 characters", strings.Repeat("a", 243) + "@example.com", ""},
		{"fullwidth letters", "ａｎｎ@example.com", emails.RuleEmail},
		{"a ligature", "ﬁ@example.com", emails.RuleEmail},
		{"decomposed accent", "jose\u0301@exemple.fr", emails.RuleEmail},
		{"NUL", "ann\x00@example.com", emails.RuleEmail},
		{"a C1 control", "ann\u0085x@example.com", emails.RuleEmail},
		{"a line separator", "ann\u2028x@example.com", emails.RuleEmail},
		{"invalid UTF-8", "ann\xff@example.com", emails.RuleEmail},
		{"a display name", "Ann <ann@example.com>", emails.RuleEmail},
		{"no domain", "ann", emails.RuleEmail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// when a normalised email is checked, then exactly the expected rule (or none) is broken
			problems := emails.Problems(tt.email)
			switch {
			case tt.want == "" && len(problems) > 0:
				t.Fatalf("Problems(%q) = %v, want none", tt.email, problems)
			case tt.want != "" && (len(problems) != 1 || problems[0].Rule != tt.want || problems[0].Field != "email"):
				t.Fatalf("Problems(%q) = %v, want email: %s", tt.email, problems, tt.want)
			}
		})
	}
}
