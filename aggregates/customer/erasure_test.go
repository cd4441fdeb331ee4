package customer_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
)

func erased() customer.Erased { return customer.Erased{CustomerID: annID, ErasedAt: now} }

func erase(s customer.State) ([]customer.Event, error) { return customer.Erase(s, now) }

func TestErase(t *testing.T) {
	t.Parallel()
	t.Run("a registered customer is erased", func(t *testing.T) {
		customers.Given(registered()).When(erase).Then(t, erased())
	})
	t.Run("erasing again changes nothing, so an interrupted erasure can run again", func(t *testing.T) {
		customers.Given(registered(), erased()).When(erase).Then(t)
	})
	t.Run("a customer never registered cannot be erased", func(t *testing.T) {
		customers.Given().When(erase).ThenError(t, customer.ErrNotRegistered)
	})
}

func TestAnErasedCustomerIsGoneForEveryCommand(t *testing.T) {
	t.Parallel()
	name := "Eve"
	cases := []struct {
		name   string
		decide decision
		want   error
	}{
		{"its id is not registered again", on(customer.Register, customer.Registration{CustomerID: annID,
			AccountID: 10, Email: "eve@example.com"}), customer.ErrAlreadyRegistered},
		{"profile change", on(customer.ChangeProfile, customer.ProfileChange{Changes: customer.ProfilePatch{FirstName: &name}}),
			customer.ErrNotRegistered},
		{"email change", on(customer.ChangeEmail, customer.EmailChange{Email: "eve@example.com"}), customer.ErrNotRegistered},
		{"password sign-in", on(customer.RehashPassword, customer.Rehash{Verified: "hash-1"}), customer.ErrNotRegistered},
		{"passwordless sign-in", on(customer.LoginWithToken, customer.TokenLogin{SiteID: 1232, TokenHash: "h"}),
			customer.ErrTokenInvalid},
		{"token request", on(customer.IssueToken, customer.TokenRequest{SiteID: 1232, Purpose: customer.PurposePasswordless,
			TokenHash: "h", ExpiresAt: now.Add(time.Hour)}), customer.ErrNotRegistered},
		{"address", on(customer.AddAddress, customer.NewAddress{Address: customer.Address{ID: 5, Type: customer.AddressBilling,
			Line1: "1 Main St", Country: "FR"}}), customer.ErrNotRegistered},
		{"identity link", on(customer.LinkIdentity, customer.Identity{Provider: "google", Subject: "g-1"}),
			customer.ErrNotRegistered},
		{"password reset with a token mailed before the erasure", on(customer.ResetPassword, customer.PasswordReset{
			Email: "ann@example.com", TokenHash: "reset-hash", NewHash: "hash-2"}), customer.ErrTokenInvalid},
	}
	issued := customer.OneTimeTokenIssued{CustomerID: annID, SiteID: 1232, Purpose: customer.PurposePasswordReset,
		Email: "ann@example.com", TokenHash: "reset-hash", ExpiresAt: now.Add(time.Hour), IssuedAt: registerTime}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// Given an erased customer (who had a live reset link), when a command runs, then it is refused
			customers.Given(registered(), issued, erased()).When(c.decide).ThenError(t, c.want)
		})
	}
}

func TestAHistoryWhoseKeyWasShreddedFoldsIntoAnErasedCustomer(t *testing.T) {
	t.Parallel()
	// Given every event of a customer with its personal fields read back as zero values (the key shredded)
	history := []customer.Event{
		customer.Registered{CustomerID: annID, AccountID: 10, SiteID: 1232, Method: customer.MethodPassword, RegisteredAt: registerTime},
		customer.ProfileChanged{CustomerID: annID, ChangedAt: now},
		customer.EmailChanged{CustomerID: annID, ChangedAt: now},
		customer.UsernameChanged{CustomerID: annID, ChangedAt: now},
		customer.PasswordChanged{CustomerID: annID, ChangedAt: now},
		customer.PasswordRehashed{CustomerID: annID, RehashedAt: now},
		customer.OneTimeTokenIssued{CustomerID: annID, SiteID: 1232, Purpose: customer.PurposeEmailVerification,
			TokenHash: "h", ExpiresAt: now, IssuedAt: now},
		customer.EmailVerified{CustomerID: annID, VerifiedAt: now},
		customer.AddressAdded{CustomerID: annID, AddedAt: now},
		customer.AddressUpdated{CustomerID: annID, UpdatedAt: now},
		customer.IdentityLinked{CustomerID: annID, Provider: "google", LinkedAt: now},
		customer.IdentityUnlinked{CustomerID: annID, Provider: "google", UnlinkedAt: now},
		erased(),
	}
	// When it is folded, then nothing fails, the customer is erased and no command acts on it
	s := stateOf(history...)
	if !s.Erased || s.Exists() || s.ID != annID || s.Email != "" {
		t.Fatalf("state = %+v, want erased customer %d without an email", s, annID)
	}
	customers.Given(history...).When(erase).Then(t)
}

func TestAnErasedCustomersStateHoldsNothingPersonal(t *testing.T) {
	t.Parallel()
	// Given a customer with a profile, an address, a token and a linked identity
	s := customer.State{}
	for _, e := range []customer.Event{registered(),
		customer.AddressAdded{CustomerID: annID, Address: customer.Address{ID: 5, Type: customer.AddressBilling,
			FirstName: "Ann", Line1: "1 Main St", Country: "FR"}, AddedAt: now},
		customer.OneTimeTokenIssued{CustomerID: annID, SiteID: 1232, Purpose: customer.PurposePasswordReset,
			Email: "ann@example.com", TokenHash: "h", ExpiresAt: now.Add(time.Hour), IssuedAt: now},
		customer.IdentityLinked{CustomerID: annID, Provider: "google", Subject: "g-1", LinkedAt: now},
	} {
		s = customer.Evolve(s, e)
	}
	// When the customer is erased
	s = customer.Evolve(s, erased())
	// Then the state (which the command pipeline caches) keeps only what names the erased customer
	want := customer.State{ID: annID, AccountID: 10, SiteID: 1232, Erased: true, CreatedAt: registerTime, UpdatedAt: now}
	if !reflect.DeepEqual(s, want) {
		t.Fatalf("erased state = %+v, want only %+v", s, want)
	}
}
