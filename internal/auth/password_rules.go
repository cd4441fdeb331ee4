package auth

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Password length rules of business rule 5, counted in characters (runes), not bytes.
const (
	PasswordMinLength       = 6
	StrongPasswordMinLength = 8
	StrongPasswordMaxLength = 30
)

// Problem codes PasswordProblems returns. They are stable rule codes, not texts: the HTTP layer localises
// them as the message "customer.<field>.<code>" (field "password" or "new_password", see
// internal/i18n/locales/customer.*.json), so renaming one breaks that lookup.
const (
	PasswordTooShort       = "too_short"        // fewer than PasswordMinLength characters (basic rule)
	PasswordTooShortStrong = "too_short_strong" // fewer than StrongPasswordMinLength characters
	PasswordTooLong        = "too_long"         // more than StrongPasswordMaxLength characters (strong only)
	PasswordNoDigit        = "missing_digit"    // strong only, as are the next three
	PasswordNoSymbol       = "missing_symbol"
	PasswordNoLowercase    = "missing_lowercase"
	PasswordNoUppercase    = "missing_uppercase"
	// PasswordControl: a control character (U+0000–U+001F, U+007F–U+009F: NUL, tab, line break…), which
	// no login form lets its owner type again; refused under either rule.
	PasswordControl = "control_character"
)

// PasswordProblems checks password against rule 5 and returns the codes of every rule it breaks, in the
// order above, or nil when it is acceptable. strong is the site's "Strong Password Enforcement": 8–30
// characters with at least one digit, one symbol, one lowercase and one uppercase letter; otherwise only
// at least 6 characters. A symbol is any Unicode punctuation, symbol or space character (so "!", "€" and
// " " count, a tab or another control character does not); letters and digits are Unicode-aware too.
// Under either rule a password must not hold a control character (PasswordControl, reported last).
func PasswordProblems(password string, strong bool) []string {
	length := utf8.RuneCountInString(password)
	var problems []string
	if !strong {
		if length < PasswordMinLength {
			problems = append(problems, PasswordTooShort)
		}
		return withControl(problems, password)
	}
	if length < StrongPasswordMinLength {
		problems = append(problems, PasswordTooShortStrong)
	}
	if length > StrongPasswordMaxLength {
		problems = append(problems, PasswordTooLong)
	}
	var digit, symbol, lower, upper bool
	for _, r := range password {
		switch {
		case unicode.IsControl(r):
		case unicode.IsDigit(r):
			digit = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r):
			symbol = true
		}
	}
	for _, missing := range []struct {
		absent bool
		code   string
	}{{!digit, PasswordNoDigit}, {!symbol, PasswordNoSymbol}, {!lower, PasswordNoLowercase}, {!upper, PasswordNoUppercase}} {
		if missing.absent {
			problems = append(problems, missing.code)
		}
	}
	return withControl(problems, password)
}

// withControl is problems with PasswordControl added when password holds a control character.
func withControl(problems []string, password string) []string {
	if strings.IndexFunc(password, unicode.IsControl) >= 0 {
		problems = append(problems, PasswordControl)
	}
	return problems
}
