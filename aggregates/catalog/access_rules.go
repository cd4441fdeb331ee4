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
		if msg := aggregates.DomainPatternProblem(v); msg != "" {
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
