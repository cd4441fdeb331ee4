package commands_test

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestAnErasedCustomerIsGoneAndTheirEmailIsFree(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	// Given a customer with an email and a username
	w := newCustomerWorld(t)
	id := w.register(t, "ann@example.com", "Ann_1")

	// When they are erased
	erasure, err := w.customers.Erase(ctx, newEnv(), id)
	if err != nil || erasure.CustomerID != id || erasure.AccountID != 1 {
		t.Fatalf("Erase = %+v, %v", erasure, err)
	}
	// Then they cannot sign in, and commands treat them as unknown
	if _, err := w.customers.Login(ctx, newEnv(), commands.Credentials{AccountID: 1, SiteID: 1, Email: "ann@example.com",
		Password: "Secret-123"}); !errors.Is(err, commands.ErrInvalidCredentials) {
		t.Fatalf("Login after erasure = %v, want ErrInvalidCredentials", err)
	}
	name := "Eve"
	if _, err := w.customers.UpdateProfile(ctx, newEnv(), commands.ProfileUpdate{Target: commands.Target{CustomerID: id,
		AccountID: 1, SiteID: 1}, Changes: customer.ProfilePatch{FirstName: &name}}); !errors.Is(err, customer.ErrNotRegistered) {
		t.Fatalf("UpdateProfile after erasure = %v, want ErrNotRegistered", err)
	}
	// And the email and the username can be registered again, by a new customer
	if again := w.register(t, "ann@example.com", "ann_1"); again == id {
		t.Fatal("the erased customer's id was given again")
	}
	// And erasing again changes nothing, while an unknown id is refused
	if _, err := w.customers.Erase(ctx, newEnv(), id); err != nil {
		t.Fatalf("second Erase: %v", err)
	}
	if _, err := w.customers.Erase(ctx, newEnv(), 424242); !errors.Is(err, customer.ErrNotRegistered) {
		t.Fatalf("Erase of an unknown id = %v, want ErrNotRegistered", err)
	}
}

func TestACommandRacingAnErasureLandsBeforeItOrIsRefused(t *testing.T) {
	t.Parallel()
	stores := []struct {
		name   string
		open   func(t *testing.T) eventstore.Store
		sealed bool
	}{{"plain store", newStore, false}, {"sealing store", newSealedStore, true}}
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			w := newCustomerWorldOn(t, s.open(t))
			id := w.register(t, "ann@example.com", "")
			target := commands.Target{CustomerID: id, AccountID: 1, SiteID: 1}
			// Given profile updates and address additions running while the customer is erased
			var wg sync.WaitGroup
			errs := make([]error, 12)
			for i := range errs {
				wg.Go(func() {
					if i%2 == 0 {
						name := "Annabel " + string(rune('A'+i))
						_, errs[i] = w.customers.UpdateProfile(ctx, newEnv(), commands.ProfileUpdate{Target: target,
							Changes: customer.ProfilePatch{FirstName: &name}})
						return
					}
					_, _, errs[i] = w.customers.AddAddress(ctx, newEnv(), commands.NewAddress{Target: target, Address: customer.Address{
						Type: customer.AddressBilling, Line1: "1 Racing Lane", City: "Paris", Country: "FR"}})
				})
			}
			if _, err := w.customers.Erase(ctx, newEnv(), id); err != nil {
				t.Fatalf("Erase: %v", err)
			}
			wg.Wait()
			// Then every command either landed before the erasure, was refused as for an unknown customer, or
			// gave up after losing every retry to the twelve others on the same stream (a busy machine makes
			// that happen now and then; it writes nothing, which the stream check below holds either way)
			for i, err := range errs {
				if err != nil && !errors.Is(err, customer.ErrNotRegistered) && !errors.Is(err, eventstore.ErrWrongExpectedVersion) {
					t.Errorf("command %d: %v", i, err)
				}
			}
			// And nothing was written after the erasure
			stream := "customer-" + strconv.FormatInt(id, 10)
			types := streamTypes(t, w.store, stream)
			if i := slices.Index(types, "customer.erased"); i != len(types)-1 {
				t.Fatalf("stream = %v, want customer.erased last", types)
			}
			// And with sealing, what the racing commands wrote reads back erased as well
			if !s.sealed {
				return
			}
			events, err := w.store.ReadStream(ctx, stream, eventstore.Forwards, eventstore.StreamStart(), 100)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range events {
				for _, trace := range []string{"ann@", "Annabel", "Racing Lane"} {
					if strings.Contains(string(e.Data), trace) {
						t.Fatalf("%s still reads %q: %s", e.Type, trace, e.Data)
					}
				}
			}
		})
	}
}
