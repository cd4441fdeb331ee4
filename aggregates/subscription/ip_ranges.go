package subscription

import (
	"fmt"
	"net/netip"
	"strings"
)

// A membership's ip_addresses unlock the site for everyone on those networks (GET /members/ip/authorization),
// so each entry must name addresses that only the institution holds: a single public IPv4 or IPv6 address,
// or a CIDR range of them written with no host bits. Private, loopback, link-local, shared (CGNAT),
// multicast, documentation and other reserved addresses are refused: every home and office network has
// 192.168.0.0/16, so a membership listing it would unlock the site for anybody behind any router.

// nonPublicIPv4 are the IPv4 blocks no institution holds alone (IANA's special-purpose registry, RFC 6890
// and its updates). A range overlapping any of them is refused, which also refuses any range wide enough
// to hold one (0.0.0.0/0, 128.0.0.0/1 …).
var nonPublicIPv4 = prefixes("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
	"172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
	"198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/3")

// globalIPv6 is where public IPv6 unicast addresses live (2000::/3); nonPublicIPv6 are the blocks inside it
// that are not public (documentation, the IETF protocol assignments, the retired 6bone). Everything outside
// 2000::/3 (loopback, unique local fc00::/7, link-local, multicast, IPv4-mapped) is refused with it.
var (
	globalIPv6    = netip.MustParsePrefix("2000::/3")
	nonPublicIPv6 = prefixes("2001::/23", "2001:db8::/32", "3ffe::/16", "3fff::/20")
)

func prefixes(texts ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(texts))
	for i, text := range texts {
		out[i] = netip.MustParsePrefix(text)
	}
	return out
}

// ParseIPRange reads one ip_addresses entry: an address (as a /32 or /128) or a CIDR range with no host
// bits. ok is false for anything else, zones and IPv4-mapped IPv6 included (write those as plain IPv4).
func ParseIPRange(entry string) (netip.Prefix, bool) {
	if strings.Contains(entry, "/") {
		prefix, err := netip.ParsePrefix(entry)
		if err != nil || prefix != prefix.Masked() || prefix.Addr().Is4In6() {
			return netip.Prefix{}, false
		}
		return prefix, true
	}
	addr, err := netip.ParseAddr(entry)
	if err != nil || addr.Zone() != "" || addr.Is4In6() {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(addr, addr.BitLen()), true
}

// IsPublicRange reports whether every address of prefix is public (see nonPublicIPv4 and globalIPv6).
func IsPublicRange(prefix netip.Prefix) bool {
	blocked := nonPublicIPv4
	if prefix.Addr().Is6() {
		if !globalIPv6.Contains(prefix.Addr()) || prefix.Bits() < globalIPv6.Bits() {
			return false
		}
		blocked = nonPublicIPv6
	}
	for _, b := range blocked {
		if b.Overlaps(prefix) {
			return false
		}
	}
	return true
}

// The widest ranges a membership may list: an IPv4 /16 (65,536 addresses) and an IPv6 /32, about what one
// university or company holds. Warning: a wider range would open the site to a large share of the internet
// through IP authorization (GET /members/ip/authorization) for the price of one membership.
const (
	MinIPv4Bits = 16
	MinIPv6Bits = 32
)

// IsNarrowEnough reports whether prefix is no wider than MinIPv4Bits or MinIPv6Bits allows.
func IsNarrowEnough(prefix netip.Prefix) bool {
	if prefix.Addr().Is6() {
		return prefix.Bits() >= MinIPv6Bits
	}
	return prefix.Bits() >= MinIPv4Bits
}

// ipRangeProblems are the broken rules of a membership's ip_addresses, one per bad entry: RuleIPRange for
// an entry that is not an address or a masked CIDR range, RuleIPPublic for one that is not public,
// RuleIPWidth for one too wide.
func ipRangeProblems(entries []string) Problems {
	var p Problems
	for i, entry := range entries {
		field := fmt.Sprintf("ip_addresses[%d]", i)
		prefix, ok := ParseIPRange(entry)
		switch {
		case !ok:
			p = append(p, Problem{Field: field, Rule: RuleIPRange})
		case !IsPublicRange(prefix):
			p = append(p, Problem{Field: field, Rule: RuleIPPublic})
		case !IsNarrowEnough(prefix):
			p = append(p, Problem{Field: field, Rule: RuleIPWidth})
		}
	}
	return p
}
