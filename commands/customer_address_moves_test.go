package commands_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// moving is a customer with a Quebec (default), an Ontario and a Paris address, subscribed to plan 4060
// (Canada only) at Quebec, to plan 4051 without an address, and to plan 4051 again, canceled.
type moving struct {
	customerID                 int64
	quebec, ontario, paris     int64
	shipped, digital, canceled int64
}

func (w *addressWorld) moving(t *testing.T, email string) moving {
	t.Helper()
	var m moving
	var addresses []int64
	m.customerID, addresses = w.customerWith(t, email, [2]string{"CA", "QC"}, [2]string{"CA", "ON"}, [2]string{"FR", ""})
	m.quebec, m.ontario, m.paris = addresses[0], addresses[1], addresses[2]
	var err error
	for _, s := range []struct {
		id   *int64
		plan int64
		at   int64
	}{{&m.shipped, 4060, m.quebec}, {&m.digital, 4051, 0}, {&m.canceled, 4051, 0}} {
		if *s.id, err = w.subscribeAt(t, m.customerID, s.plan, s.at, "tok_visa"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.subscriptions.Cancel(t.Context(), newEnv(), commands.Cancellation{Target: who(m.customerID),
		SubscriptionID: m.canceled, Mode: subscription.CancelNow}); err != nil {
		t.Fatal(err)
	}
	return m
}

// moveOnto makes the address the default with is_default_updated, with customers.
func (m moving) moveOnto(t *testing.T, customers commands.Customers, env commands.Envelope, addressID int64,
	patch customer.AddressPatch) error {
	patch.IsDefault = new(true)
	_, err := customers.UpdateAddress(t.Context(), env, commands.AddressUpdate{Target: who(m.customerID),
		AddressID: addressID, Changes: patch, MoveSubscriptions: true})
	return err
}

func TestMovingSubscriptionsOntoTheDefaultAddress(t *testing.T) {
	t.Parallel()
	w := newAddressWorld(t)
	taxed := w.customers
	catalog := w.catalog
	catalog.taxesEnabled = true
	taxed.Catalog = catalog
	cases := []struct {
		name      string
		customers commands.Customers
		onto      func(moving) int64
		patch     customer.AddressPatch
		refusal   error
	}{
		{"the running subscriptions move onto another address of their country", w.customers,
			func(m moving) int64 { return m.ontario }, customer.AddressPatch{}, nil},
		{"one whose plan is not sold in the address's country refuses them all", w.customers,
			func(m moving) int64 { return m.paris }, customer.AddressPatch{}, customer.ErrNotSoldThere},
		{"so does a change of the address to such a country", w.customers,
			func(m moving) int64 { return m.ontario }, toParis, customer.ErrNotSoldThere},
		{"nothing moves while the site charges taxes", taxed,
			func(m moving) int64 { return m.ontario }, customer.AddressPatch{}, commands.ErrMoveWithTaxes},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := w.moving(t, "ann"+strconv.Itoa(i)+"@addressmoves.example.com")
			onto := tc.onto(m)
			// when the customer makes the address the default and moves their subscriptions onto it
			err := m.moveOnto(t, tc.customers, newEnv(), onto, tc.patch)
			// then the running ones are on it, the ended one is not; or nothing changed at all
			if !errors.Is(err, tc.refusal) {
				t.Fatalf("UpdateAddress = %v, want %v", err, tc.refusal)
			}
			want := map[int64]int64{m.shipped: onto, m.digital: onto, m.canceled: 0}
			if tc.refusal != nil {
				want = map[int64]int64{m.shipped: m.quebec, m.digital: 0, m.canceled: 0}
			}
			for id, address := range want {
				if got := w.read(t, id).AddressID; got != address {
					t.Errorf("subscription %d is on address %d, want %d", id, got, address)
				}
			}
		})
	}
	t.Run("the address moved from is free again, the one moved to is held", func(t *testing.T) {
		t.Parallel()
		m := w.moving(t, "bob@addressmoves.example.com")
		if err := m.moveOnto(t, w.customers, newEnv(), m.ontario, customer.AddressPatch{}); err != nil {
			t.Fatal(err)
		}
		// once no attachment is recent, only the subscriptions' addresses hold a place
		later := w.customers
		later.Now = func() time.Time { return w.now.Add(customer.AttachmentGrace) }
		for address, want := range map[int64]error{m.quebec: nil, m.ontario: customer.ErrInvalid} {
			_, err := later.UpdateAddress(t.Context(), newEnv(), commands.AddressUpdate{Target: who(m.customerID),
				AddressID: address, Changes: toParis})
			if !errors.Is(err, want) {
				t.Errorf("moving address %d to Paris = %v, want %v", address, err, want)
			}
		}
	})
	t.Run("a request retried after its subscriptions failed to move moves them", func(t *testing.T) {
		// not parallel: the store's fault must meet this request's append, no other's
		m := w.moving(t, "cid@addressmoves.example.com")
		env := newEnv()
		w.store.refuse.Store(new("subscription.address_changed"))
		if err := m.moveOnto(t, w.customers, env, m.ontario, customer.AddressPatch{}); !errors.Is(err, errStoreDown) {
			t.Fatalf("UpdateAddress = %v, want the store down", err)
		}
		if err := m.moveOnto(t, w.customers, env, m.ontario, customer.AddressPatch{}); err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{m.shipped, m.digital} {
			if got := w.read(t, id).AddressID; got != m.ontario {
				t.Errorf("subscription %d is on address %d after the retry, want %d", id, got, m.ontario)
			}
		}
	})
}
