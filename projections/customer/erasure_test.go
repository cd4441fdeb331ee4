package customer

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/projections"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

func TestAnErasedCustomerLeavesNoRow(t *testing.T) {
	t.Parallel()
	erased := at(3, applyErased, customer.Erased{CustomerID: 7, ErasedAt: t2})
	// A history read after the key was shredded: personal fields are zero values.
	shredded := []step{
		at(0, applyRegistered, customer.Registered{CustomerID: 7, AccountID: 1, SiteID: 1232, Method: "password", RegisteredAt: t0}),
		at(1, applyAddressAdded, customer.AddressAdded{CustomerID: 7, AddedAt: t1}),
		at(2, projections.ApplyStatement(applyProfileChanged), customer.ProfileChanged{CustomerID: 7, ChangedAt: t1}),
	}
	cases := []struct {
		name  string
		given []step
	}{
		{"a customer with an address", []step{registered,
			at(1, applyAddressAdded, customer.AddressAdded{CustomerID: 7, AddedAt: t1, Address: address(31, customer.AddressBilling, "1 A St", true)}),
			at(2, projections.ApplyStatement(applyEmailChanged), customer.EmailChanged{CustomerID: 7, Email: "new@example.com", ChangedAt: t1})}},
		{"a history replayed after the erasure, personal fields empty", shredded},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db := projectiontest.ReadModels(t)
			// given the customer's history and another customer
			for _, s := range tc.given {
				projectiontest.InTx(t, db, s)
			}
			projectiontest.InTx(t, db, at(0, applyRegistered, customer.Registered{CustomerID: 8, AccountID: 1, SiteID: 1232,
				Email: "bob@example.com", Method: "password", RegisteredAt: t0}))
			projectiontest.InTx(t, db, at(1, applyAddressAdded, customer.AddressAdded{CustomerID: 8, AddedAt: t1,
				Address: address(41, customer.AddressBilling, "4 D St", true)}))
			var zeroAddresses int
			if err := db.GetContext(t.Context(), &zeroAddresses, `SELECT count(*) FROM customer_addresses WHERE id = 0`); err != nil || zeroAddresses != 0 {
				t.Fatalf("%d rows for erased addresses (%v), want none", zeroAddresses, err)
			}
			// when the customer is erased (delivered twice)
			projectiontest.InTx(t, db, erased)
			projectiontest.InTx(t, db, erased)
			// then none of their rows is left, and the other customer keeps theirs
			var left struct {
				Customers int `db:"customers"`
				Addresses int `db:"addresses"`
				Others    int `db:"others"`
			}
			if err := db.GetContext(t.Context(), &left, `SELECT
				(SELECT count(*) FROM customers WHERE id = 7) AS customers,
				(SELECT count(*) FROM customer_addresses WHERE customer_id = 7) AS addresses,
				(SELECT count(*) FROM customers WHERE id = 8) + (SELECT count(*) FROM customer_addresses WHERE customer_id = 8) AS others`); err != nil {
				t.Fatal(err)
			}
			if left.Customers != 0 || left.Addresses != 0 || left.Others != 2 {
				t.Fatalf("rows left: %+v, want none of customer 7 and both of customer 8", left)
			}
		})
	}
}
