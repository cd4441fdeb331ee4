package subscription_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

func TestMembershipIPAddressesMustBePublicAndNarrow(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		entry string
		want  subscription.Rule // "" when accepted
	}{
		{"a public IPv4 address", "81.2.69.160", ""},
		{"a public IPv4 range", "81.2.69.0/24", ""},
		{"a public IPv6 address", "2a00:1450:4001:82b::200e", ""},
		{"a public IPv6 range", "2a00:1450::/32", ""},
		{"host bits after the prefix length", "81.2.69.7/24", subscription.RuleIPRange},
		{"not an address", "81.2.69", subscription.RuleIPRange},
		{"a host name", "library.example.edu", subscription.RuleIPRange},
		{"a prefix length too long", "81.2.69.0/33", subscription.RuleIPRange},
		{"an IPv6 zone", "fe80::1%eth0", subscription.RuleIPRange},
		{"IPv4-mapped IPv6", "::ffff:81.2.69.160", subscription.RuleIPRange},
		{"a private range", "10.1.0.0/16", subscription.RuleIPPublic},
		{"a home network", "192.168.1.0/24", subscription.RuleIPPublic},
		{"loopback", "127.0.0.1", subscription.RuleIPPublic},
		{"link-local", "169.254.10.1", subscription.RuleIPPublic},
		{"shared address space (CGNAT)", "100.64.0.0/10", subscription.RuleIPPublic},
		{"documentation", "198.51.100.0/24", subscription.RuleIPPublic},
		{"multicast", "224.0.0.251", subscription.RuleIPPublic},
		{"broadcast", "255.255.255.255", subscription.RuleIPPublic},
		{"the whole IPv4 Internet", "0.0.0.0/0", subscription.RuleIPPublic},
		{"half of it, private networks inside", "128.0.0.0/1", subscription.RuleIPPublic},
		{"IPv6 loopback", "::1", subscription.RuleIPPublic},
		{"IPv6 unique local", "fd12:3456::/48", subscription.RuleIPPublic},
		{"IPv6 link-local", "fe80::/64", subscription.RuleIPPublic},
		{"IPv6 documentation", "2001:db8::/48", subscription.RuleIPPublic},
		{"the whole IPv6 Internet", "::/0", subscription.RuleIPPublic},
		{"a public IPv4 /16, the widest allowed", "81.2.0.0/16", ""},
		{"a public IPv4 /15", "82.0.0.0/15", subscription.RuleIPWidth},
		{"an eighth of IPv4, all of it public", "128.0.0.0/3", subscription.RuleIPWidth},
		{"a public IPv4 /8", "81.0.0.0/8", subscription.RuleIPWidth},
		{"a public IPv6 /31", "2a00:1450::/31", subscription.RuleIPWidth},
		{"a sixty-fourth of IPv6", "2400::/6", subscription.RuleIPWidth},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a membership created with the entry after a valid one
			c := newPaid()
			c.Terms.Membership = true
			c.IPAddresses = []string{"81.2.69.0/24", tc.entry}
			// when it is checked
			_, err := subscription.Create(subscription.State{}, c, t0)
			// then only a public entry is accepted, and a refusal names the entry and its rule
			want := subscription.Problems(nil)
			if tc.want != "" {
				want = subscription.Problems{{Field: "ip_addresses[1]", Rule: tc.want}}
			}
			var got subscription.Problems
			if err != nil && !errors.As(err, &got) {
				t.Fatalf("Create: %v, want problems", err)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("problems %v, want %v", got, want)
			}
		})
	}
}

func TestAcceptedIPRangesAreKeptAsWritten(t *testing.T) {
	t.Parallel()
	// given a membership with an address and a range
	c := newPaid()
	c.Terms.Membership = true
	c.IPAddresses = []string{"81.2.69.160", "2a00:1450::/32"}
	// when it is created
	events, err := subscription.Create(subscription.State{}, c, t0)
	if err != nil {
		t.Fatal(err)
	}
	// then the event keeps the entries, and each reads back as the range it names
	got := events[0].(subscription.Created).IPAddresses
	if !slices.Equal(got, c.IPAddresses) {
		t.Fatalf("ip_addresses %v, want %v", got, c.IPAddresses)
	}
	for entry, want := range map[string]string{"81.2.69.160": "81.2.69.160/32", "2a00:1450::/32": "2a00:1450::/32"} {
		if prefix, ok := subscription.ParseIPRange(entry); !ok || prefix.String() != want {
			t.Errorf("ParseIPRange(%q) = %v, %v; want %s", entry, prefix, ok, want)
		}
	}
}
