// Package emails holds what the customer and newsletter aggregates agree an email address is: the one
// spelling under which it is unique (Normalise) and the rules an address must follow (Problems).
//
// It is the one package under aggregates that imports a module outside the standard library:
// golang.org/x/text/unicode/norm, the Go project's Unicode normalisation, whose tables the standard library
// does not export. It is pure computation (no I/O, no clock), so decide functions stay deterministic.
package emails

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// MaxLength is an email's character limit (the Core API's string columns).
const MaxLength = 255

// The rules Problems checks, by the names both aggregates give them.
const (
	RuleRequired  aggregates.Rule = "required"   // no email
	RuleMaxLength aggregates.Rule = "max_length" // more than MaxLength characters
	RuleEmail     aggregates.Rule = "email"      // not a plain address in its one canonical spelling
)

// Normalise returns the spelling under which an email is unique: format characters (Unicode category Cf:
// zero-width spaces and joiners, byte order marks, soft hyphens, direction marks) dropped, then trimmed and
// lower-cased. Format characters are invisible, so "ann\u200b@example.com" would otherwise be a second
// account that looks exactly like ann@example.com; text pasted from chats and documents carries them by
// accident too, and no mail provider hands out an address that needs one.
//
// Warning: the result names reservation streams and newsletter streams and is what events store, so it
// is a stored format. An email without format characters must keep the spelling it always had
// (ToLower(TrimSpace)): a change would orphan every claim and entry made under the old one. That is also
// why compatibility variants (fullwidth letters, ligatures) are refused by Problems rather than folded here.
func Normalise(email string) string {
	return strings.ToLower(strings.TrimSpace(strings.Map(dropFormat, email)))
}

func dropFormat(r rune) rune {
	if unicode.Is(unicode.Cf, r) {
		return -1
	}
	return r
}

// Problems checks a normalised email (Normalise): required; at most MaxLength characters; valid text
// without control characters (aggregates.TextFault); in Unicode normalisation form NFKC, so a lookalike
// spelled with compatibility characters ("ａｎｎ@example.com" in fullwidth letters, "ﬁ" for "fi") or with
// decomposed accents is refused rather than becoming a second account; and a plain address (no display
// name, no brackets). Each failure but the first two is RuleEmail: to the person typing it, the address is
// not valid.
func Problems(email string) aggregates.FieldProblems {
	switch {
	case email == "":
		return aggregates.FieldProblems{{Field: "email", Rule: RuleRequired}}
	case utf8.RuneCountInString(email) > MaxLength:
		return aggregates.FieldProblems{{Field: "email", Rule: RuleMaxLength, Max: MaxLength}}
	}
	if fault := aggregates.TextFault(email, aggregates.SingleLine); fault != "" {
		return aggregates.FieldProblems{{Field: "email", Rule: RuleEmail, Detail: fault}}
	}
	if !norm.NFKC.IsNormalString(email) {
		return aggregates.FieldProblems{{Field: "email", Rule: RuleEmail, Detail: "not in Unicode normalisation form NFKC"}}
	}
	parsed, err := mail.ParseAddress(email)
	if err != nil || parsed.Address != email {
		return aggregates.FieldProblems{{Field: "email", Rule: RuleEmail}}
	}
	return nil
}
