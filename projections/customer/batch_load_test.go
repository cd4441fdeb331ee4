package customer

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/projections"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

// manyAddresses is customer 7's history for the batch-load tests: registered, then 40 shipping addresses
// (100–139, the last one the default), a default billing address (200) and another billing one (201).
func manyAddresses() []projections.Event[any] {
	events := []projections.Event[any]{{Data: customer.Registered{CustomerID: 7, AccountID: 1, SiteID: 1232,
		Email: "ann@example.com", Method: "password", RegisteredAt: t0}}}
	add := func(a customer.Address) {
		events = append(events, projections.Event[any]{Envelope: projections.Envelope{Revision: uint64(len(events))},
			Data: customer.AddressAdded{CustomerID: 7, Address: a, AddedAt: t0}})
	}
	for id := int64(100); id < 140; id++ {
		add(address(id, customer.AddressShipping, "1 A St", id == 139))
	}
	add(address(200, customer.AddressBilling, "2 B St", true))
	add(address(201, customer.AddressBilling, "3 C St", false))
	return events
}

// TestBatchLoadsOnlyTheAddressesItWritesAndTheDefaultsItMayClear: a customer's addresses pile up, so a batch
// must not read them all. Given a customer with 42 addresses, when a batch is loaded, then it holds the
// addresses its events write and, when one of them becomes a default, the customer's current defaults; and
// applied twice (a redelivery), the batch leaves the default of each type where the apply funcs would.
func TestBatchLoadsOnlyTheAddressesItWritesAndTheDefaultsItMayClear(t *testing.T) {
	t.Parallel()
	history := manyAddresses()
	next := uint64(len(history))
	when := func(data any) []projections.Event[any] {
		return []projections.Event[any]{{Envelope: projections.Envelope{Revision: next}, Data: data}}
	}
	cases := []struct {
		name     string
		batch    []projections.Event[any]
		loaded   []int64
		defaults []int64 // the customer's default addresses afterwards
	}{
		{"a profile change loads no address",
			when(customer.ProfileChanged{CustomerID: 7, ChangedAt: t1, Profile: customer.Profile{FirstName: "Anne"}}),
			nil, []int64{139, 200}},
		{"an address that is no default loads itself only",
			when(customer.AddressUpdated{CustomerID: 7, UpdatedAt: t1, Address: address(105, customer.AddressShipping, "9 Z St", false)}),
			[]int64{105}, []int64{139, 200}},
		{"a new default shipping address loads the defaults and takes over from the shipping one",
			when(customer.AddressAdded{CustomerID: 7, AddedAt: t1, Address: address(300, customer.AddressShipping, "4 D St", true)}),
			[]int64{139, 200}, []int64{200, 300}},
		{"a billing address made the default takes over from the billing one",
			when(customer.AddressUpdated{CustomerID: 7, UpdatedAt: t1, Address: address(201, customer.AddressBilling, "3 C St", true)}),
			[]int64{139, 200, 201}, []int64{139, 201}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given the customer with many addresses
			db := projectiontest.ReadModels(t)
			projectiontest.InTx(t, db, func(ctx context.Context, tx *sqlx.Tx) error { return applyBatch(ctx, tx, history) })
			// when the batch is loaded
			b := &batch{customers: map[int64]*storedCustomer{}, addresses: map[int64]*storedAddress{}}
			projectiontest.InTx(t, db, func(ctx context.Context, tx *sqlx.Tx) error { return b.Load(ctx, tx, tc.batch) })
			// then it holds only the rows it may change
			if got := slices.Sorted(maps.Keys(b.addresses)); !slices.Equal(got, tc.loaded) {
				t.Fatalf("loaded addresses %v, want %v", got, tc.loaded)
			}
			// and applied twice, the defaults are where the apply funcs put them
			for range 2 {
				projectiontest.InTx(t, db, func(ctx context.Context, tx *sqlx.Tx) error { return applyBatch(ctx, tx, tc.batch) })
			}
			var defaults []int64
			if err := db.SelectContext(t.Context(), &defaults,
				`SELECT id FROM customer_addresses WHERE customer_id = 7 AND is_default ORDER BY id`); err != nil {
				t.Fatalf("select defaults: %v", err)
			}
			if !slices.Equal(defaults, tc.defaults) {
				t.Fatalf("default addresses %v, want %v", defaults, tc.defaults)
			}
		})
	}
}
