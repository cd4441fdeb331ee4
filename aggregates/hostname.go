package aggregates

import "strings"

// IsHostLabel reports whether label is one label of a host name: 1 to 63 ASCII letters (either case),
// digits and inner hyphens (RFC 1123). It is the one definition both sides of free access by domain use:
// the catalog's rule for a plan's domains and the query that matches an email's domain against them. Were
// they to differ, a domain the catalog accepted could never match, or an email the query accepted could
// match a pattern the catalog would refuse.
func IsHostLabel(label string) bool {
	if len(label) == 0 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
		return false
	}
	return !strings.ContainsFunc(label, func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '-'
	})
}
