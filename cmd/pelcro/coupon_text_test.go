package main

import (
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/commands"
)

// TestACouponCodeNoRowCanHoldIsAnUnknownCoupon prices and buys with coupon codes holding a NUL, invalid
// UTF-8 or another control character, through the commands as pelcro serve wires them over PostgreSQL: each
// is an unknown coupon ("Invalid coupon provided"), where a NUL used to fail the coupon's query (a 500 on
// POST /ecommerce/order-summary, POST /ecommerce/order and POST /order).
func TestACouponCodeNoRowCanHoldIsAnUnknownCoupon(t *testing.T) {
	t.Parallel()
	// given the example shop, a customer of it with an address in Canada
	w := newOrderWorld(t)
	previews := w.deps.pricePreviews()
	for name, code := range map[string]string{"a NUL": "SAVE\x0010", "invalid UTF-8": "SAVE\xff10",
		"an escape": "SAVE\x1b10"} {
		cart := commands.Cart{Target: w.buyer, Items: []commands.CartItem{{SKUID: redTote, Quantity: 1}},
			AddressID: w.address, CouponCode: code}
		t.Run(name, func(t *testing.T) {
			// when the cart is priced with that code, then the coupon is unknown
			if _, err := w.orders.Summary(t.Context(), cart); !errors.Is(err, commands.ErrCouponNotFound) {
				t.Errorf("summary: %v, want ErrCouponNotFound", err)
			}
			// when it is ordered, then too, and nothing is charged
			_, err := w.orders.Place(t.Context(), env(), commands.NewOrder{Cart: cart, Token: "tok_visa"})
			if !errors.Is(err, commands.ErrCouponNotFound) {
				t.Errorf("order: %v, want ErrCouponNotFound", err)
			}
			// when the shop's plan is previewed with it, then too
			_, err = previews.Preview(t.Context(), commands.PreviewRequest{Target: w.buyer, PlanID: 5001,
				CouponCode: code, AddressID: w.address})
			if !errors.Is(err, commands.ErrCouponNotFound) {
				t.Errorf("preview: %v, want ErrCouponNotFound", err)
			}
		})
	}
}
