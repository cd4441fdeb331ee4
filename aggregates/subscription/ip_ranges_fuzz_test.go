package subscription_test

import (
	"net/netip"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// FuzzIPRanges: any ip_addresses entry is refused or read as a masked range that prints back to itself
// (the cidr text the read model stores), and a public one never touches a private block.
func FuzzIPRanges(f *testing.F) {
	for _, seed := range []string{"81.2.69.0/24", "81.2.69.160", "2a00:1450::/32", "::ffff:1.2.3.4", "fe80::1%eth0",
		"10.0.0.0/8", "0.0.0.0/0", "::/0", "1.2.3.4/33", "", "/", "1.2.3.4/", "2a00::/3x", "\x00"} {
		f.Add(seed)
	}
	private := netip.MustParsePrefix("192.168.0.0/16")
	f.Fuzz(func(t *testing.T, entry string) {
		// when the entry is read
		prefix, ok := subscription.ParseIPRange(entry)
		if !ok {
			return
		}
		// then it is a masked range with no zone, printing back to itself
		if prefix != prefix.Masked() || prefix.Addr().Zone() != "" || prefix.Addr().Is4In6() {
			t.Fatalf("ParseIPRange(%q) = %v: not a plain masked range", entry, prefix)
		}
		if again, err := netip.ParsePrefix(prefix.String()); err != nil || again != prefix {
			t.Fatalf("ParseIPRange(%q) = %v does not print back (%v, %v)", entry, prefix, again, err)
		}
		// and a public one holds no private address
		if subscription.IsPublicRange(prefix) && prefix.Overlaps(private) {
			t.Fatalf("%q is public but overlaps %v", entry, private)
		}
	})
}
