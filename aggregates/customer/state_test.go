package customer_test

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
)

func TestEvolve(t *testing.T) {
	t.Parallel()
	t.Run("a registration makes the customer exist as registered", func(t *testing.T) {
		t.Parallel()
		if (customer.State{}).Exists() {
			t.Fatal("the zero state exists")
		}
		s := stateOf(registered())
		if !s.Exists() || s.ID != annID || s.AccountID != 10 || s.SiteID != 1232 || s.Email != "ann@example.com" ||
			s.EmailConfirmed || s.Username != "Ann_Lee" || s.PasswordHash != "hash-1" || s.Profile.FirstName != "Ann" ||
			!s.CreatedAt.Equal(registerTime) || !s.UpdatedAt.Equal(registerTime) {
			t.Fatalf("state after registering: %+v", s)
		}
	})
	t.Run("changes the customer sees move updated_at, a mailed token does not", func(t *testing.T) {
		t.Parallel()
		later := now.Add(time.Hour)
		changes := []customer.Event{
			customer.ProfileChanged{CustomerID: annID, ChangedAt: later},
			customer.UsernameChanged{CustomerID: annID, ChangedAt: later},
			customer.PictureSet{CustomerID: annID, File: "f.png", SetAt: later},
			customer.PictureRemoved{CustomerID: annID, RemovedAt: later},
			customer.AddressAdded{CustomerID: annID, Address: home(), AddedAt: later},
			customer.AddressUpdated{CustomerID: annID, Address: home(), UpdatedAt: later},
			customer.EmailVerified{CustomerID: annID, Email: "ann@example.com", VerifiedAt: later},
		}
		for _, e := range changes {
			if s := stateOf(registered(), e); !s.UpdatedAt.Equal(later) {
				t.Errorf("%T left updated_at at %v", e, s.UpdatedAt)
			}
		}
		if s := stateOf(registered(), issued(customer.PurposePasswordless, "p", later)); !s.UpdatedAt.Equal(registerTime) {
			t.Errorf("a mailed token moved updated_at to %v", s.UpdatedAt)
		}
	})
	t.Run("folding never changes an earlier state", func(t *testing.T) {
		t.Parallel()
		before := stateOf(registered(), added(home()), issued(customer.PurposePasswordReset, "r1", now))
		moved := home()
		moved.Line1 = "8 Pine Ave"
		_ = customer.Evolve(before, customer.AddressUpdated{CustomerID: annID, Address: moved, UpdatedAt: now})
		_ = customer.Evolve(before, customer.PasswordChanged{CustomerID: annID, PasswordHash: "h", ResetTokenHash: "r1", ChangedAt: now})
		if before.Addresses[0].Line1 != "1 Main St" || before.Tokens[0].Used {
			t.Fatalf("earlier state changed: %+v, %+v", before.Addresses, before.Tokens)
		}
	})
}
