package main

import (
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments/sandbox"
)

// TestACouponCodeNoRowCanHoldIsAnUnknownCoupon prices and buys with coupon codes holding a NUL, invalid
// UTF-8 or another control character, through the commands as pelcro serve wires them over PostgreSQL: each
// is an unknown coupon ("Invalid coupon provided"), where a NUL used to fail the coupon's query (a 500 on
// POST /ecommerce/order-summary, POST /ecommerce/order and POST /order); subscribing with it is invalid
// input of coupon_code (a 400: a subscription's texts hold no control character), and a gift code of the
// same text is no gift.
func TestACouponCodeNoRowCanHoldIsAnUnknownCoupon(t *testing.T) {
	t.Parallel()
	// given the example shop, a customer of it with an address in Canada
	w := newOrderWorld(t)
	previews := w.deps.pricePreviews()
	gateways := commands.Gateways{commands.DefaultGateway: sandbox.New(w.deps.ReadModels.DB)}
	wallets, _, invoices := paymentCommands(w.deps, gateways)
	subscriptions := subscriptionCommands(w.deps, wallets, invoices, gateways, w.deps.commerceCatalog())
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
			// when the plan is subscribed to with it, then the code is refused as no text a coupon code can be
			_, err = subscriptions.Create(t.Context(), env(), commands.NewSubscription{Target: w.buyer, PlanID: 5001,
				CouponCode: code, AddressID: w.address, Token: "tok_visa"})
			var problems subscription.Problems
			if !errors.As(err, &problems) || len(problems) != 1 || problems[0].Field != "coupon_code" {
				t.Errorf("subscribe: %v, want invalid input of coupon_code alone", err)
			}
			// when a gift is redeemed with it as its code, then there is no such gift
			_, err = subscriptions.RedeemGift(t.Context(), env(), commands.GiftRedemption{Target: w.buyer, Code: code})
			if !errors.Is(err, subscription.ErrNotGift) {
				t.Errorf("redeem: %v, want ErrNotGift", err)
			}
		})
	}
}
