package subscription_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

func TestMembershipDomainsAreDomainsOrWildcards(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		entry string
		ok    bool
	}{
		{"a domain", "example.edu", true},
		{"a subdomain", "library.example.edu", true},
		{"a wildcard over a domain", "*.example.edu", true},
		{"words with spaces", "not a domain", false},
		{"a bare wildcard", "*", false},
		{"a wildcard inside", "lib.*.example.edu", false},
		{"one label", "localhost", false},
		{"an IP address", "81.2.69.160", false},
		{"an empty entry", "", false},
		{"a label ending in a hyphen", "example-.edu", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a membership created with the entry after a valid one
			c := newPaid()
			c.Terms.Membership = true
			c.Domains = []string{"example.com", tc.entry}
			// when it is checked
			_, err := subscription.Create(subscription.State{}, c, t0)
			// then a domain or a wildcard is accepted, anything else refused naming the entry
			want := subscription.Problems(nil)
			if !tc.ok {
				want = subscription.Problems{{Field: "domains[1]", Rule: subscription.RuleDomain}}
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
