package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"pgregory.net/rapid"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/order"
	"github.com/pelcro-oss/pelcro-api/aggregates/pricing"
	"github.com/pelcro-oss/pelcro-api/aggregates/stock"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// orderRefusals are the answers the order commands may give instead of writing (a drawn gateway's among
// them).
var orderRefusals = []error{commands.ErrSKUNotFound, commands.ErrMixedCurrencies, commands.ErrOutOfStock,
	commands.ErrOrderExpired, commands.ErrCouponNotFound, commands.ErrCouponNotForPlan, commands.ErrAddressRequired,
	commands.ErrAddressNotFound, commands.ErrNotAvailableInArea, commands.ErrPaymentMeansRequired,
	commands.ErrSourceNotFound, commands.ErrUnknownGateway, commands.ErrIntentNotSucceeded, customer.ErrNotRegistered,
	aggregates.ErrInvalidInput, invoice.ErrPaymentPending, payments.ErrUnavailable, order.ErrNotDue}

// drawnShop is an order catalog whose SKUs are drawn: names chosen to hurt, prices and stock levels on
// both sides of every limit, two currencies, shippable or not; coupons by amount or percentage.
type drawnShop struct {
	t *rapid.T
	drawnPlans
}

// SellsProducts: every drawn site sells (a site that does not is refused before anything is written).
func (drawnShop) SellsProducts(context.Context, int64) (bool, error) { return true, nil }

func (c drawnShop) SKU(_ context.Context, siteID, skuID int64) (commands.SaleSKU, error) {
	t := c.t
	if skuID > 3 {
		return commands.SaleSKU{}, commands.ErrSKUNotFound
	}
	return commands.SaleSKU{ID: skuID, ProductID: skuID + 300, SiteID: siteID, Name: text().Draw(t, "sku name"),
		Price:    rapid.OneOf(rapid.Int64Range(0, 10_000), rapid.SampledFrom([]int64{math.MaxInt32, 99_999_999, 1 << 40})).Draw(t, "price"),
		Currency: rapid.SampledFrom([]string{"usd", "usd", "eur"}).Draw(t, "sku currency"),
		Stock: stock.Level{Inventory: rapid.SampledFrom([]int64{0, 1, 3, math.MaxInt64}).Draw(t, "inventory"),
			Unlimited: rapid.Bool().Draw(t, "unlimited")},
		Shippable: rapid.Bool().Draw(t, "shippable")}, nil
}

func (c drawnShop) Coupon(_ context.Context, _ int64, code string) (commands.SaleCoupon, error) {
	if code == "" || code == "NOPE" {
		return commands.SaleCoupon{}, commands.ErrCouponNotFound
	}
	coupon := commands.SaleCoupon{Coupon: subscription.Coupon{ID: 1, Code: code, Duration: subscription.DurationOnce}}
	if rapid.Bool().Draw(c.t, "percent off") {
		coupon.Coupon.PercentOff = pricing.Rate(rapid.Int64Range(0, int64(pricing.Full)).Draw(c.t, "rate"))
	} else {
		coupon.Coupon.AmountOff, coupon.Currency = rapid.Int64Range(0, 1<<40).Draw(c.t, "amount off"), "usd"
	}
	return coupon, nil
}

// Taxes are drawn: off, or up to two rates from 0 to 100 %, each inside the prices or added to them.
func (c drawnShop) Taxes(context.Context, int64, string, string) (commands.SiteTaxes, error) {
	t := c.t
	taxes := commands.SiteTaxes{Enabled: rapid.Bool().Draw(t, "taxes on")}
	for range rapid.IntRange(0, 2).Draw(t, "tax rates") {
		taxes.Rates = append(taxes.Rates, pricing.TaxRate{Name: text().Draw(t, "tax name"),
			Rate:      pricing.Rate(rapid.Int64Range(0, int64(pricing.Full)).Draw(t, "tax rate")),
			Inclusive: rapid.Bool().Draw(t, "inclusive")})
	}
	return taxes, nil
}

// runOrders has customers (and nobody) order drawn carts through a drawn gateway, then expires what is left
// pending past its deadline.
func (w *propertyWorld) runOrders(customers []int64) {
	t, store := w.t, w.deps.EventStore
	gateways := commands.Gateways{commands.DefaultGateway: drawnCharges{t: t}}
	clock := func() time.Time { return w.now }
	intents := commands.Intents{Store: store, Gateways: gateways, Now: clock}
	invoices := commands.Invoices{Store: store, Gateways: gateways, Intents: intents, Now: clock,
		IDs: commands.NewIDAllocator(store, commands.IDKindInvoice, commands.IDAllocatorConfig{First: 1 << 50})}
	intents.Owners = map[payments.IntentKind]commands.IntentOwner{payments.PaymentIntent: invoices.CompleteIntent}
	invoices.Intents = intents
	shop := drawnShop{t: t, drawnPlans: drawnPlans{t: t}}
	orders := commands.Orders{Store: store, Invoices: invoices, Catalog: shop, Names: w.deps.Names, Now: clock,
		Pricer: commands.Pricer{Catalog: shop, Store: store},
		IDs: commands.NewIDAllocator(store, commands.IDKindOrder, commands.IDAllocatorConfig{BlockSize: 10,
			First: rapid.SampledFrom([]int64{1, 1 << 31, 1 << 62}).Draw(t, "first order id")})}
	who := []commands.Target{{CustomerID: 1 << 62, AccountID: 1, SiteID: 1}} // nobody
	for _, id := range customers {
		who = append(who, commands.Target{CustomerID: id, AccountID: 1, SiteID: 1})
	}
	var placed []int64
	for i := range rapid.IntRange(1, 8).Draw(t, "order steps") {
		env := commands.Envelope{CommandID: fmt.Sprint("order-", i)}
		var items []commands.CartItem
		for range rapid.IntRange(1, 3).Draw(t, "items") {
			items = append(items, commands.CartItem{SKUID: rapid.Int64Range(1, 4).Draw(t, "sku"),
				Quantity: rapid.SampledFrom([]int64{1, 2, order.MaxQuantity}).Draw(t, "quantity")})
		}
		in := commands.NewOrder{Cart: commands.Cart{Target: rapid.SampledFrom(who).Draw(t, "buyer"), Items: items,
			CouponCode: rapid.SampledFrom([]string{"", "NOPE", "TOTE"}).Draw(t, "coupon"),
			AddressID:  rapid.SampledFrom([]int64{0, 1, 1 << 40}).Draw(t, "address")},
			Token: rapid.SampledFrom([]string{"", "tok_visa"}).Draw(t, "token")}
		result, err := orders.Place(t.Context(), env, in)
		if _, declined := errors.AsType[*payments.Declined](err); declined {
			continue // the drawn gateway's decline: the customer's answer, nothing placed
		}
		if !w.refused("order", err, orderRefusals...) {
			placed = append(placed, result.Order.ID)
		}
	}
	w.now = w.now.Add(commands.DefaultPaymentWindow)
	for _, id := range placed {
		_, err := orders.Expire(t.Context(), id)
		w.refused("order expiry", err, orderRefusals...)
	}
}
