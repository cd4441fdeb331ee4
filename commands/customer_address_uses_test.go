package commands_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// addressWorld sells sampleCatalog's plans (4060 ships to Canada only) to customers with addresses, the
// subscriptions on the customers' clock, the customers' address rules with the catalog and, standing in for
// the subscriptions read model caught up, the subscriptions subscribeAt created.
type addressWorld struct {
	*salesWorld
	mu     sync.Mutex
	listed map[int64][]int64
}

func newAddressWorld(t *testing.T) *addressWorld {
	t.Helper()
	w := &addressWorld{salesWorld: newSalesWorld(t), listed: map[int64][]int64{}}
	w.subscriptions.Now = func() time.Time { return w.now }
	w.customers.Catalog = w.catalog
	w.customers.SubscriptionsOf = func(_ context.Context, customerID int64) ([]int64, error) {
		w.mu.Lock()
		defer w.mu.Unlock()
		return slices.Clone(w.listed[customerID]), nil
	}
	return w
}

// customerWith registers a customer with an address in each place ("CA/QC", "FR/"), the first the default
// shipping one, and returns the customer and the addresses' ids.
func (w *addressWorld) customerWith(t *testing.T, email string, places ...[2]string) (int64, []int64) {
	t.Helper()
	id := w.register(t, email, "")
	var ids []int64
	for i, place := range places {
		_, address, err := w.customers.AddAddress(t.Context(), newEnv(), commands.NewAddress{Target: who(id),
			Address: customer.Address{Line1: "1 Main St", Country: place[0], State: place[1], IsDefault: i == 0}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, address)
	}
	return id, ids
}

// subscribeAt subscribes the customer to plan shipped to the address, paying with a card of token.
func (w *addressWorld) subscribeAt(t *testing.T, customerID, plan, addressID int64, token string) (int64, error) {
	t.Helper()
	created, err := w.subscriptions.Create(t.Context(), newEnv(), commands.NewSubscription{Target: who(customerID),
		PlanID: plan, AddressID: addressID, Token: token})
	if err == nil {
		w.mu.Lock()
		defer w.mu.Unlock()
		w.listed[customerID] = append(w.listed[customerID], created.SubscriptionID)
	}
	return created.SubscriptionID, err
}

// toParis is the change of an address's place to Paris.
var toParis = customer.AddressPatch{Country: new("FR"), State: new("")}

func TestAnAddressASubscriptionUsesKeepsItsPlace(t *testing.T) {
	t.Parallel()
	w := newAddressWorld(t)
	inUse := customer.Problems{{Field: "country", Rule: customer.RuleInUse}, {Field: "state", Rule: customer.RuleInUse}}
	afterGrace := w.customers
	afterGrace.Now = func() time.Time { return w.now.Add(customer.AttachmentGrace) }
	cases := []struct {
		name string
		// given runs on the customer and their Quebec address; it returns the customer commands to update with
		given func(t *testing.T, customerID, quebec int64) commands.Customers
		patch customer.AddressPatch
		want  customer.Problems
	}{
		{"the country and state of an address a subscription uses stay", subscribed(w, nil), toParis, inUse},
		{"a state alone stays too", subscribed(w, nil), customer.AddressPatch{State: new("ON")},
			customer.Problems{{Field: "state", Rule: customer.RuleInUse}}},
		{"the rest of it changes", subscribed(w, nil), customer.AddressPatch{Line1: new("9 Rue Haute")}, nil},
		{"once the subscription ended, the place changes", subscribed(w, func(t *testing.T, customerID, id int64) {
			if _, err := w.subscriptions.Cancel(t.Context(), newEnv(), commands.Cancellation{Target: who(customerID),
				SubscriptionID: id, Mode: subscription.CancelNow}); err != nil {
				t.Fatal(err)
			}
		}), toParis, nil},
		{"a declined creation holds the place while its command may still run", declined(w, w.customers), toParis, inUse},
		{"and no longer", declined(w, afterGrace), toParis, nil},
		{"a subscription only the read model lists holds it too", readModelOnly(w, true), toParis, inUse},
		{"an address no subscription took changes freely", readModelOnly(w, false), toParis, nil},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			id, addresses := w.customerWith(t, "ann"+strconv.Itoa(i)+"@addressuses.example.com", [2]string{"CA", "QC"})
			customers := tc.given(t, id, addresses[0])
			// when the address's fields change
			_, err := customers.UpdateAddress(t.Context(), newEnv(), commands.AddressUpdate{Target: who(id),
				AddressID: addresses[0], Changes: tc.patch})
			// then the place of an address in use is refused, field by field, and anything else changes
			var got customer.Problems
			if errors.As(err, &got); !reflect.DeepEqual(got, tc.want) || (tc.want == nil && err != nil) {
				t.Fatalf("UpdateAddress = %v; want %v", err, tc.want)
			}
		})
	}
}

// subscribed subscribes the customer to plan 4060 at the address, then runs then with the subscription.
func subscribed(w *addressWorld, then func(t *testing.T, customerID, subscriptionID int64)) func(*testing.T, int64, int64) commands.Customers {
	return func(t *testing.T, customerID, addressID int64) commands.Customers {
		id, err := w.subscribeAt(t, customerID, 4060, addressID, "tok_visa")
		if err != nil {
			t.Fatal(err)
		}
		if then != nil {
			then(t, customerID, id)
		}
		return w.customers
	}
}

// declined has the customer's card declined for plan 4060 at the address, then updates with customers.
func declined(w *addressWorld, customers commands.Customers) func(*testing.T, int64, int64) commands.Customers {
	return func(t *testing.T, customerID, addressID int64) commands.Customers {
		if _, err := w.subscribeAt(t, customerID, 4060, addressID, "tok_chargeCustomerFail"); !errors.As(err, new(*payments.Declined)) {
			t.Fatalf("Create = %v, want declined", err)
		}
		return customers
	}
}

// readModelOnly records a subscription at the address as the code before attachments did (nothing on the
// customer's stream), and updates with customer commands whose read model lists it, or not.
func readModelOnly(w *addressWorld, listed bool) func(*testing.T, int64, int64) commands.Customers {
	return func(t *testing.T, customerID, addressID int64) commands.Customers {
		id := 900000 + customerID
		created := subscription.Created{SubscriptionID: id, CustomerID: customerID, AccountID: 1, SiteID: 1,
			Type: subscription.TypeRegular, Status: subscription.StatusActive, Terms: w.catalog.plans[4060].Terms,
			Quantity: 1, AddressID: addressID, PeriodStart: w.now, PeriodEnd: w.now.AddDate(0, 1, 0), CreatedAt: w.now}
		if _, err := commands.Handle(t.Context(), w.store, commands.SubscriptionAggregate, strconv.FormatInt(id, 10), newEnv(),
			func(subscription.State) ([]subscription.Event, error) { return []subscription.Event{created}, nil }); err != nil {
			t.Fatal(err)
		}
		if listed {
			w.mu.Lock()
			defer w.mu.Unlock()
			w.listed[customerID] = append(w.listed[customerID], id)
		}
		return w.customers
	}
}

func TestAnAddressInUseReadsItsSubscriptionsInOneRoundTrip(t *testing.T) {
	t.Parallel()
	w := newAddressWorld(t)
	// given a customer with three subscriptions shipped to their Quebec address
	id, addresses := w.customerWith(t, "ann@addressreads.example.com", [2]string{"CA", "QC"})
	for range 3 {
		if _, err := w.subscribeAt(t, id, 4060, addresses[0], "tok_visa"); err != nil {
			t.Fatal(err)
		}
	}
	// when the address's place changes through a store that counts its reads (a state cache of its own, as
	// in another process)
	counting := &readsCountingStore{refusingStore: w.store, single: map[string]int{}}
	customers := w.customers
	customers.Store = counting
	_, err := customers.UpdateAddress(t.Context(), newEnv(), commands.AddressUpdate{Target: who(id),
		AddressID: addresses[0], Changes: toParis})
	// then it is refused, the subscriptions' streams read in one round trip and none of them on its own
	if !errors.As(err, new(customer.Problems)) {
		t.Fatalf("UpdateAddress = %v, want the place refused", err)
	}
	single, multi := counting.counts()
	for stream, n := range single {
		if strings.HasPrefix(stream, "subscription-") {
			t.Errorf("%s read %d times on its own", stream, n)
		}
	}
	if multi != 1 {
		t.Errorf("%d multi-stream reads, want 1", multi)
	}
}
