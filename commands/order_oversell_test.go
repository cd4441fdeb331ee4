package commands_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/order"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/eventstore/esdb"
	"github.com/pelcro-oss/pelcro-api/eventstore/esdbtest"
)

// TestAHotSKUNeverOversells runs 100 concurrent orders of one unit each against 40 in stock, on both event
// stores: exactly 40 are paid, 60 are refused as out of stock, nothing is left, and every charge has its
// paid order.
func TestAHotSKUNeverOversells(t *testing.T) {
	t.Parallel()
	stores := []struct {
		name string
		open func(t *testing.T, url string) eventstore.Store
	}{
		{"postgres", openStore},
		{"esdb", func(t *testing.T, _ string) eventstore.Store {
			store, err := esdb.Open(esdbtest.Start(t).URL())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = store.Close() })
			return store
		}},
	}
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			// Given 100 buyers and a SKU with 40 units
			url, db := paymentsDatabase(t)
			w := newOrderWorld(t, s.open(t, url), db.DB, false)
			buyers := make([]commands.Target, 100)
			for i := range buyers {
				buyers[i] = w.buyer(t, fmt.Sprintf("buyer%d@example.com", i))
			}
			// When they all order one unit at once
			outcomes := make([]error, len(buyers))
			var wg sync.WaitGroup
			for i, buyer := range buyers {
				wg.Go(func() {
					_, outcomes[i] = w.orders.Place(t.Context(), newEnv(), cart(buyer, commands.CartItem{SKUID: hotSKU.ID,
						Quantity: 1}))
				})
			}
			wg.Wait()
			// Then 40 are sold and 60 are told the SKU is out of stock
			sold, refused := soldAndRefused(t, outcomes)
			if sold != 40 || refused != 60 {
				t.Errorf("%d sold and %d refused, want 40 and 60", sold, refused)
			}
			// And the stock is empty, with one charge per paid order and no other
			if left := w.left(t, hotSKU); left != 0 {
				t.Errorf("%d units left, want 0", left)
			}
			paid := 0
			for id := int64(1); id <= 100; id++ {
				if w.order(t, id).Status == order.StatusPaid {
					paid++
				}
			}
			if charges := w.charges(t); paid != 40 || charges != 40 {
				t.Errorf("%d paid orders and %d charges, want 40 and 40", paid, charges)
			}
		})
	}
}

// TestOrdersOfTwoSKUsInEitherOrderSellEveryUnit runs 40 concurrent orders of a poster and a frame (10 units
// each), half listing the poster first and half the frame first. Holding units in the order the cart lists
// them let an order holding the poster and one holding the frame refuse each other, and both give their
// units back after the other buyers had been told the SKUs were gone: units are held by SKU id instead.
func TestOrdersOfTwoSKUsInEitherOrderSellEveryUnit(t *testing.T) {
	t.Parallel()
	// Given 40 buyers, and a poster and a frame of 10 units each
	url, db := paymentsDatabase(t)
	w := newOrderWorld(t, openStore(t, url), db.DB, false)
	buyers := make([]commands.Target, 40)
	for i := range buyers {
		buyers[i] = w.buyer(t, fmt.Sprintf("collector%d@example.com", i))
	}
	// When they all order one of each at once, half of them listing the frame first
	outcomes := make([]error, len(buyers))
	var wg sync.WaitGroup
	for i, buyer := range buyers {
		items := []commands.CartItem{{SKUID: poster.ID, Quantity: 1}, {SKUID: frame.ID, Quantity: 1}}
		if i%2 == 1 {
			items[0], items[1] = items[1], items[0]
		}
		wg.Go(func() { _, outcomes[i] = w.orders.Place(t.Context(), newEnv(), cart(buyer, items...)) })
	}
	wg.Wait()
	// Then 10 are paid and 30 told the items are out of stock, and no unit is left
	sold, refused := soldAndRefused(t, outcomes)
	if sold != 10 || refused != 30 {
		t.Errorf("%d sold and %d refused, want 10 and 30", sold, refused)
	}
	for _, sku := range []commands.SaleSKU{poster, frame} {
		if left := w.left(t, sku); left != 0 {
			t.Errorf("%d units of %s left, want 0", left, sku.Name)
		}
	}
}

// soldAndRefused counts the orders placed and those refused as out of stock; any other outcome fails t.
func soldAndRefused(t *testing.T, outcomes []error) (sold, refused int) {
	t.Helper()
	for _, err := range outcomes {
		switch {
		case err == nil:
			sold++
		case errors.Is(err, commands.ErrOutOfStock):
			refused++
		default:
			t.Errorf("an order failed otherwise: %v", err)
		}
	}
	return sold, refused
}
