package aggregates

import (
	"net/netip"
	"strings"
)

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

// DomainPatternProblem says what is wrong with a free-access domain pattern, "domain.com" or
// "*.domain.com" (rule 13), or "" when nothing is. It is the one rule for every list of such patterns: a
// plan's domains, a segment's email domain, a membership's domains. Warning: the domain authorization
// query matches emails against patterns that passed it; loosening it lets in patterns nothing matches.
func DomainPatternProblem(pattern string) string {
	host := strings.TrimPrefix(pattern, "*.")
	if strings.Contains(host, "*") {
		return "may hold a wildcard only as its first label, as in *.example.edu"
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return "is an IP address; list it under ip_addresses"
	}
	labels := strings.Split(host, ".")
	if len(labels) < 2 || len(host) > 253 {
		return "must be a domain such as example.edu or *.example.edu"
	}
	for _, label := range labels {
		if !IsHostLabel(label) {
			return "must be a domain such as example.edu or *.example.edu (letters, digits and inner hyphens)"
		}
	}
	return ""
}
