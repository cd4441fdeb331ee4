package customer_test

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
)

func TestUpdatePassword(t *testing.T) {
	t.Parallel()
	idpOnly := customer.Registered{CustomerID: 208, AccountID: 10, SiteID: 1232, Email: "bob@example.com",
		Method: "idp:google", Profile: customer.Profile{Language: "en"}, RegisteredAt: registerTime}
	cases := []struct {
		name    string
		given   []customer.Event
		command customer.PasswordUpdate
		want    error
	}{
		{"rule 9: the old password must match", []customer.Event{registered()},
			customer.PasswordUpdate{NewHash: "hash-2", OldPasswordMatches: false}, customer.ErrWrongPassword},
		{"rule 9: the new password must differ", []customer.Event{registered()},
			customer.PasswordUpdate{NewHash: "hash-2", OldPasswordMatches: true, NewSameAsOld: true}, customer.ErrSamePassword},
		{"a customer without a password has no old one to match", []customer.Event{idpOnly},
			customer.PasswordUpdate{NewHash: "hash-2", OldPasswordMatches: true}, customer.ErrWrongPassword},
		{"an unknown customer is refused", nil,
			customer.PasswordUpdate{NewHash: "hash-2", OldPasswordMatches: true}, customer.ErrNotRegistered},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			customers.Given(tc.given...).When(on(customer.UpdatePassword, tc.command)).ThenError(t, tc.want)
		})
	}
	t.Run("the right old password and a different new one change it", func(t *testing.T) {
		t.Parallel()
		customers.Given(registered()).
			When(on(customer.UpdatePassword, customer.PasswordUpdate{NewHash: "hash-2", OldPasswordMatches: true})).
			Then(t, customer.PasswordChanged{CustomerID: annID, PasswordHash: "hash-2", ChangedAt: now})
	})
	t.Run("the change is dated", func(t *testing.T) {
		t.Parallel()
		s := stateOf(registered(), customer.PasswordChanged{CustomerID: annID, PasswordHash: "hash-2", ChangedAt: now})
		if s.PasswordHash != "hash-2" || !s.PasswordUpdatedAt.Equal(now) || !s.UpdatedAt.Equal(now) {
			t.Fatalf("after a change: hash %q, password updated %v, updated %v", s.PasswordHash, s.PasswordUpdatedAt, s.UpdatedAt)
		}
		if first := stateOf(registered()); !first.PasswordUpdatedAt.Equal(registerTime) || !stateOf(idpOnly).PasswordUpdatedAt.IsZero() {
			t.Fatal("registering with a password dates it, without one leaves no date")
		}
	})
}

func TestLinkIdentity(t *testing.T) {
	t.Parallel()
	linked := customer.IdentityLinked{CustomerID: annID, Provider: "google", Subject: "g-1", LinkedAt: registerTime}
	cases := []struct {
		name     string
		given    []customer.Event
		identity customer.Identity
		want     []customer.Event
	}{
		{"a first account of a provider is linked", []customer.Event{registered()}, customer.Identity{Provider: "google", Subject: "g-1"},
			[]customer.Event{customer.IdentityLinked{CustomerID: annID, Provider: "google", Subject: "g-1", LinkedAt: now}}},
		{"the same account again is a no-op", []customer.Event{registered(), linked}, customer.Identity{Provider: "google", Subject: "g-1"}, nil},
		{"another provider is linked beside it", []customer.Event{registered(), linked}, customer.Identity{Provider: "auth0", Subject: "g-1"},
			[]customer.Event{customer.IdentityLinked{CustomerID: annID, Provider: "auth0", Subject: "g-1", LinkedAt: now}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			customers.Given(tc.given...).When(on(customer.LinkIdentity, tc.identity)).Then(t, tc.want...)
		})
	}
	t.Run("another account of a linked provider is refused", func(t *testing.T) {
		t.Parallel()
		customers.Given(registered(), linked).When(on(customer.LinkIdentity, customer.Identity{Provider: "google", Subject: "g-2"})).
			ThenError(t, customer.ErrIdentityConflict)
	})
	t.Run("an unknown customer is refused", func(t *testing.T) {
		t.Parallel()
		customers.Given().When(on(customer.LinkIdentity, customer.Identity{Provider: "google", Subject: "g-1"})).
			ThenError(t, customer.ErrNotRegistered)
	})
	t.Run("linking does not alter the state it is folded into", func(t *testing.T) {
		t.Parallel()
		before := stateOf(registered(), linked)
		after := customer.Evolve(before, customer.IdentityLinked{CustomerID: annID, Provider: "auth0", Subject: "a-1", LinkedAt: now})
		if len(before.Identities) != 1 || after.Identities["auth0"] != "a-1" || after.Identities["google"] != "g-1" {
			t.Fatalf("identities before %v, after %v", before.Identities, after.Identities)
		}
	})
}

func TestAnIdentityLinkedWithoutAVouchedEmailLastsUntilTheOwnerProvesThemselves(t *testing.T) {
	t.Parallel()
	// given a customer an identity provider signed up without vouching for the email, and a mailed reset link
	linked := customer.IdentityLinked{CustomerID: annID, Provider: "google", Subject: "g-1", EmailUnverified: true, LinkedAt: now}
	reset := customer.OneTimeTokenIssued{CustomerID: annID, SiteID: 1, Purpose: customer.PurposePasswordReset,
		Email: "ann@example.com", Nonce: "n", TokenHash: "h", ExpiresAt: now.Add(time.Hour), IssuedAt: now}
	// when the email's owner resets the password with the link, then the identity is unlinked with it
	customers.
		Given(registered(), linked, reset).
		When(func(s customer.State) ([]customer.Event, error) {
			return customer.ResetPassword(s, customer.PasswordReset{Email: "ann@example.com", TokenHash: "h", NewHash: "new"}, now)
		}).
		Then(t, customer.PasswordChanged{CustomerID: annID, PasswordHash: "new", ResetTokenHash: "h", ChangedAt: now},
			customer.IdentityUnlinked{CustomerID: annID, Provider: "google", Subject: "g-1", UnlinkedAt: now})
}

func TestRehashPasswordUpgradesOnlyTheHashItVerified(t *testing.T) {
	t.Parallel()
	reg := registered()
	cases := []struct {
		name  string
		given []customer.Event
		then  []customer.Event
	}{
		{name: "the verified hash is current", given: []customer.Event{reg},
			then: []customer.Event{customer.PasswordRehashed{CustomerID: annID, PasswordHash: "stronger", RehashedAt: now}}},
		{name: "the password changed since", given: []customer.Event{reg,
			customer.PasswordChanged{CustomerID: annID, PasswordHash: "other", ChangedAt: now}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// when a sign-in that verified the registration's hash upgrades it
			customers.Given(tc.given...).
				When(func(s customer.State) ([]customer.Event, error) {
					return customer.RehashPassword(s, customer.Rehash{Verified: reg.PasswordHash, NewHash: "stronger"}, now)
				}).
				// then only a still-current hash is replaced
				Then(t, tc.then...)
		})
	}
}
