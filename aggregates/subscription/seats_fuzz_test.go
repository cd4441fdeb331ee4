package subscription_test

import (
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/emails"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// FuzzInviteMembers: whatever addresses a request carries (split on NUL into a list), an invitation is
// refused with Problems or accepted with events whose every address is a valid normalised email, never
// past the capacity, and never panics.
func FuzzInviteMembers(f *testing.F) {
	for _, seed := range []string{"ann@example.com", "ann@example.com\x00ANN@example.com", "", "\x00", "a@b\x00c",
		"ann\u200b@example.com", "ａｎｎ@example.com", strings.Repeat("x", 300) + "@example.com"} {
		f.Add(seed)
	}
	s := fold(membership(), invited(1, "bob@example.com"))
	f.Fuzz(func(t *testing.T, raw string) {
		addresses := strings.Split(raw, "\x00")
		events, err := subscription.InviteMembers(s, addresses, owner, t0)
		if err != nil {
			return
		}
		if len(events) != len(addresses) || int64(len(events)) > s.Terms.MemberSeatCapacity-1 {
			t.Fatalf("%d addresses gave %d seats past a capacity of %d", len(addresses), len(events), s.Terms.MemberSeatCapacity)
		}
		for _, e := range events {
			email := e.(subscription.MemberInvited).Email
			if emails.Normalise(email) != email || len(emails.Problems(email)) > 0 || email == owner {
				t.Fatalf("accepted the address %q", email)
			}
		}
	})
}
