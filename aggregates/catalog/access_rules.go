package catalog

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// The rules of the free-access lists of a plan (rules 13 and 14): what package queries matches emails and
// addresses against must first pass these.

// domains: "domain.com" or "*.domain.com" (spec 2.3 #23, rule 13).
func (c *checker) domains(field string, values []string) {
	eachUnique(c, field, values, func(f, v string) {
		if msg := domainPatternProblem(v); msg != "" {
			c.add(f, "%s, got %q", msg, v)
		}
	})
}

// ipRanges: IPv4, IPv6 and CIDR (spec 2.3 #22, rule 14).
func (c *checker) ipRanges(field string, values []string) {
	eachUnique(c, field, values, func(f, v string) {
		if msg := ipRangeProblem(v); msg != "" {
			c.add(f, "%s, got %q", msg, v)
		}
	})
}

func domainPatternProblem(pattern string) string {
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
		if !aggregates.IsHostLabel(label) {
			return "must be a domain such as example.edu or *.example.edu (letters, digits and inner hyphens)"
		}
	}
	return ""
}

func ipRangeProblem(value string) string {
	if strings.Contains(value, "/") {
		prefix, err := netip.ParsePrefix(value)
		if err != nil {
			return "must be an IP address or a CIDR range such as 198.51.100.0/24"
		}
		if prefix != prefix.Masked() {
			return fmt.Sprintf("has bits set after the prefix length; the range is %s", prefix.Masked())
		}
		return ""
	}
	addr, err := netip.ParseAddr(value)
	if err != nil || addr.Zone() != "" {
		return "must be an IP address or a CIDR range such as 198.51.100.0/24"
	}
	return ""
}
