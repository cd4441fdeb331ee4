package auth_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/auth"
)

func TestPasswordProblems(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		password string
		strong   bool
		want     []string
	}{
		{"basic: 6 characters is enough", "abcdef", false, nil},
		{"basic: 5 characters is too short", "abcde", false, []string{auth.PasswordTooShort}},
		{"basic: empty", "", false, []string{auth.PasswordTooShort}},
		{"basic: counts characters, not bytes", "ééééé", false, []string{auth.PasswordTooShort}},
		{"basic: no class rules", strings.Repeat("a", 100), false, nil},
		{"strong: all classes, 8 characters", "Ab1!efgh", true, nil},
		{"strong: 30 characters", "Ab1!" + strings.Repeat("x", 26), true, nil},
		{"strong: 31 characters", "Ab1!" + strings.Repeat("x", 27), true, []string{auth.PasswordTooLong}},
		{"strong: 7 characters", "Ab1!efg", true, []string{auth.PasswordTooShortStrong}},
		{"strong: no digit", "Abc!efgh", true, []string{auth.PasswordNoDigit}},
		{"strong: no symbol", "Abc1efgh", true, []string{auth.PasswordNoSymbol}},
		{"strong: no lowercase", "ABC1!FGH", true, []string{auth.PasswordNoLowercase}},
		{"strong: no uppercase", "abc1!fgh", true, []string{auth.PasswordNoUppercase}},
		{"strong: space and currency count as symbols", "Ab1 €fgh", true, nil},
		{"strong: non-ASCII letters count", "Éé1!ßçàü", true, nil},
		{"basic: a NUL is refused", "abc\x00def", false, []string{auth.PasswordControl}},
		{"basic: short with a line break", "abc\n", false, []string{auth.PasswordTooShort, auth.PasswordControl}},
		{"strong: a tab is no symbol", "Abc1\tfgh", true, []string{auth.PasswordNoSymbol, auth.PasswordControl}},
		{"strong: a C1 control is refused", "Ab1!efgh\u0085", true, []string{auth.PasswordControl}},
		{"strong: empty breaks every rule", "", true, []string{auth.PasswordTooShortStrong, auth.PasswordNoDigit,
			auth.PasswordNoSymbol, auth.PasswordNoLowercase, auth.PasswordNoUppercase}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// when the password is checked, then exactly the broken rules are reported, in order
			if got := auth.PasswordProblems(c.password, c.strong); !slices.Equal(got, c.want) {
				t.Errorf("PasswordProblems(%q, %v) = %v; want %v", c.password, c.strong, got, c.want)
			}
		})
	}
}
