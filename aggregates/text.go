package aggregates

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// RulePrintable is broken by a text TextFault refuses: invalid UTF-8, or a control character. Every
// aggregate checks every text it accepts with it (through TextProblems), so no entry point (HTTP, catalog
// import, a future one) can store a text a read model cannot hold.
const RulePrintable Rule = "printable"

// TextKind says which line breaks a text may hold.
type TextKind int

const (
	// SingleLine is every text by default (names, codes, addresses, emails, metadata keys): no control
	// character at all, and neither U+2028 LINE SEPARATOR nor U+2029 PARAGRAPH SEPARATOR, which break lines
	// as surely as a line feed does (in a mail header, a log line, a CSV export).
	SingleLine TextKind = iota
	// MultiLine text (descriptions, consent text, metadata values) may also hold tab, line feed and
	// carriage return, and the two Unicode separators. Struct fields opt in with the tag `text:"multiline"`.
	MultiLine
)

// TextFault describes the first thing in s that a text of kind may not hold, for an operator to find it
// ("U+0000 at character 4", "invalid UTF-8 at byte 7"), or returns "" when s is acceptable.
//
// Refused, whatever the kind:
//   - invalid UTF-8 (which covers UTF-16 surrogates: they cannot be encoded in valid UTF-8). PostgreSQL
//     text refuses it, and encoding an event as JSON would silently turn it into U+FFFD, so the log would
//     no longer hold what the decision saw;
//   - every control character (Unicode category Cc: U+0000–U+001F and U+007F–U+009F), with U+0000 first
//     among them: PostgreSQL text cannot store it at all and jsonb refuses its escape "\u0000".
//
// MultiLine text keeps tab, line feed, carriage return, U+2028 and U+2029. Everything else is accepted,
// format characters (category Cf) included: the zero-width joiner of emoji sequences and the direction
// marks of right-to-left text are part of real names. Emails are stricter (aggregates/emails).
//
// Warning: this is the domain's input rule for every text of every aggregate. Loosening it lets an event
// into the log that a projection may be unable to store, which stops that projection for good.
func TextFault(s string, kind TextKind) string {
	character := 0
	for i, r := range s {
		character++
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return fmt.Sprintf("invalid UTF-8 at byte %d", i+1)
			}
		}
		if breaksRule(r, kind) {
			return fmt.Sprintf("%U at character %d", r, character)
		}
	}
	return ""
}

// breaksRule reports whether a text of kind may not hold r.
func breaksRule(r rune, kind TextKind) bool {
	lineBreak := r == '\t' || r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029'
	if lineBreak {
		return kind != MultiLine
	}
	return unicode.IsControl(r)
}
