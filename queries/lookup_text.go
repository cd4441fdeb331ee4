package queries

import (
	"strings"
	"unicode/utf8"
)

// Storable reports whether a PostgreSQL text column can hold every one of texts: valid UTF-8 without NUL.
// Every read that looks rows up by a text a request carries (a coupon code, a newsletter email, an
// operator's search, an address's country) asks it first, and finds nothing for a text no row can hold
// without sending it: PostgreSQL fails the whole query on such a
// parameter ("invalid byte sequence for encoding UTF8: 0x00"), which would answer 500 where a text with
// any other control character simply matches nothing. The read models never hold such a text, since the
// aggregates refuse it (aggregates.TextFault), so "not found" is the true answer.
func Storable(texts ...string) bool {
	for _, s := range texts {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			return false
		}
	}
	return true
}
