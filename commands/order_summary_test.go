package commands_test

import (
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/commands"
)

func TestOrderSummary(t *testing.T) {
	t.Parallel()
	url, db := paymentsDatabase(t)
	w := newOrderWorld(t, openStore(t, url), db.DB, true)
	ann := w.buyer(t, "ann@example.com")
	address := func(country, state string) int64 {
		_, id, err := w.customers.AddAddress(t.Context(), newEnv(), commands.NewAddress{Target: ann,
			Address: customer.Address{Type: customer.AddressShipping, Line1: "1 Main St", Country: country, State: state}})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	quebec, paris := address("CA", "QC"), address("FR", "")
	item := func(sku commands.SaleSKU, quantity int64) commands.CartItem {
		return commands.CartItem{SKUID: sku.ID, Quantity: quantity}
	}

	cases := []struct {
		name    string
		cart    commands.Cart
		lines   int
		total   int64
		refusal error
	}{
		{"two totes shipped to Quebec, taxed 5 % and 9.975 %", commands.Cart{Items: []commands.CartItem{item(tote, 2)},
			AddressID: quebec}, 1, 5749, nil},
		{"the same SKU twice is one line", commands.Cart{Items: []commands.CartItem{item(tote, 1), item(tote, 1)},
			AddressID: quebec}, 1, 5749, nil},
		{"an amount-off coupon comes off before taxes", commands.Cart{Items: []commands.CartItem{item(tote, 2)},
			AddressID: quebec, CouponCode: "TOTE5"}, 1, 5174, nil},
		{"a tote and an issue", commands.Cart{Items: []commands.CartItem{item(tote, 1), item(issue, 1)},
			AddressID: quebec}, 2, 4599, nil},
		{"an unknown SKU", commands.Cart{Items: []commands.CartItem{{SKUID: 1, Quantity: 1}}}, 0, 0,
			commands.ErrSKUNotFound},
		{"two currencies", commands.Cart{Items: []commands.CartItem{item(issue, 1), item(mug, 1)}, AddressID: quebec},
			0, 0, commands.ErrMixedCurrencies},
		{"an unknown coupon", commands.Cart{Items: []commands.CartItem{item(issue, 1)}, AddressID: quebec,
			CouponCode: "NOPE"}, 0, 0, commands.ErrCouponNotFound},
		{"a coupon limited to a plan", commands.Cart{Items: []commands.CartItem{item(issue, 1)}, AddressID: quebec,
			CouponCode: "WELCOME10"}, 0, 0, commands.ErrCouponNotForPlan},
		{"a shippable item without an address", commands.Cart{Items: []commands.CartItem{item(tote, 1)}}, 0, 0,
			commands.ErrAddressRequired},
		{"an address outside the product's countries", commands.Cart{Items: []commands.CartItem{item(tote, 1)},
			AddressID: paris}, 0, 0, commands.ErrNotAvailableInArea},
		{"another customer's address", commands.Cart{Items: []commands.CartItem{item(issue, 1)}, AddressID: 999}, 0, 0,
			commands.ErrAddressNotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// Given the cart of Ann's
			c.cart.Target = ann
			// When it is priced
			q, err := w.orders.Summary(t.Context(), c.cart)
			// Then it comes to the total, or is refused
			if !errors.Is(err, c.refusal) {
				t.Fatalf("summary: got %v, want %v", err, c.refusal)
			}
			if err == nil && (q.Quote.Total != c.total || len(q.Items) != c.lines) {
				t.Errorf("summary: total %d in %d lines, want %d in %d (%+v)", q.Quote.Total, len(q.Items), c.total,
					c.lines, q)
			}
		})
	}
	// And pricing wrote nothing: every tote is still there.
	if left := w.left(t, tote); left != 40 {
		t.Errorf("totes left after pricing: %d, want 40", left)
	}
}
