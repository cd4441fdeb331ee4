package commands_test

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/commands"
)

func TestProfileUpdateOnTheCachedStateMeetsAnotherProcessWriter(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		update func(*commands.ProfileUpdate)
		want   customer.Profile
	}{
		{name: "a change the cached state accepts: the append finds the stream moved on, decided again on the log",
			update: func(u *commands.ProfileUpdate) {
				first := "Annie"
				u.Changes.FirstName = &first
			}, want: customer.Profile{FirstName: "Annie", LastName: "Rival"}},
		{name: "a change that makes nothing new on the cached state is a no-op only if the log says so",
			update: func(u *commands.ProfileUpdate) {
				last := "Before"
				u.Changes.LastName = &last
			}, want: customer.Profile{LastName: "Before"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a customer this process folded with the last name Before, and another process (a
			// pipeline over the same log with a cache of its own) that changed it to Rival since
			store := &readCounter{Store: newStore(t)} // a store value of its own: a cache apart from the inner store's
			w := newCustomerWorldOn(t, store)
			target := commands.Target{CustomerID: w.register(t, "ann@example.com", ""), AccountID: 1, SiteID: 1}
			before, rival := "Before", "Rival"
			if _, err := w.customers.UpdateProfile(t.Context(), newEnv(), commands.ProfileUpdate{Target: target,
				Changes: customer.ProfilePatch{LastName: &before}}); err != nil {
				t.Fatal(err)
			}
			other := newCustomerWorldOn(t, store.Store)
			if _, err := other.customers.UpdateProfile(t.Context(), newEnv(), commands.ProfileUpdate{Target: target,
				Changes: customer.ProfilePatch{LastName: &rival}}); err != nil {
				t.Fatal(err)
			}
			// when this process updates with a new command id
			update := commands.ProfileUpdate{Target: target}
			tc.update(&update)
			env := newEnv()
			env.NewCommandID = true
			if _, err := w.customers.UpdateProfile(t.Context(), env, update); err != nil {
				t.Fatal(err)
			}
			// then the log holds the update decided on the rival's state, not on the stale cache
			var profile customer.Profile
			for _, e := range streamOf(t, store.Store, target.CustomerID) {
				decoded, err := customer.Events.Decode(e.Type, 1, e.Data)
				if err != nil {
					t.Fatal(err)
				}
				if changed, ok := decoded.(customer.ProfileChanged); ok {
					profile = changed.Profile
				}
			}
			if profile.FirstName != tc.want.FirstName || profile.LastName != tc.want.LastName {
				t.Fatalf("profile = %+v, want %s %s", profile, tc.want.FirstName, tc.want.LastName)
			}
		})
	}
}
