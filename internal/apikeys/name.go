package apikeys

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxNameLength is the most characters a key's name may have: a note saying who or what the key is for.
const MaxNameLength = 100

// ErrInvalidName is Create's answer for a name that is not a short line of printable text.
var ErrInvalidName = fmt.Errorf("apikeys: a key's name must be at most %d printable characters (no tab, newline or control character)", MaxNameLength)

// CheckName returns ErrInvalidName unless name is UTF-8, at most MaxNameLength characters, and printable
// (letters, marks, numbers, punctuation, symbols and spaces): list prints names in a table on a terminal,
// where a newline forges a row and an escape sequence drives the terminal.
func CheckName(name string) error {
	if !utf8.ValidString(name) || utf8.RuneCountInString(name) > MaxNameLength ||
		strings.IndexFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		return ErrInvalidName
	}
	return nil
}

// DisplayName is name as a terminal may show it: unchanged when CheckName accepts it, otherwise (a name
// stored before names were checked) quoted with Go's escapes and cut to MaxNameLength characters.
func DisplayName(name string) string {
	if CheckName(name) == nil {
		return name
	}
	quoted := strconv.Quote(name)
	if utf8.RuneCountInString(quoted) > MaxNameLength {
		quoted = string([]rune(quoted)[:MaxNameLength]) + "…"
	}
	return quoted
}
