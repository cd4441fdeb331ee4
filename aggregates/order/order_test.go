package order_test

import (
	"errors"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/aggtest"
	"github.com/pelcro-oss/pelcro-api/aggregates/order"
)

var (
	orders = aggtest.For(order.Events, order.Evolve)
	now    = time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	payBy  = now.Add(15 * time.Minute)
)

// tote is an order of two tote bags at 2500 with 10 % off and 5 % tax on the discounted price.
func tote() order.Place {
	return order.Place{OrderID: 7, CustomerID: 3, AccountID: 1, SiteID: 1232, Currency: "usd",
		Items:   []order.Item{{SKUID: 9001, EcommerceProductID: 301, Name: "Tote bag", Quantity: 2, UnitAmount: 2500}},
		Amounts: order.Amounts{Subtotal: 5000, Tax: 225, Discount: 500, Total: 4725}, InvoiceID: 11, PayBy: payBy}
}

func placed() order.Placed {
	c := tote()
	return order.Placed{OrderID: c.OrderID, CustomerID: c.CustomerID, AccountID: c.AccountID, SiteID: c.SiteID,
		Currency: c.Currency, Items: c.Items, Amounts: c.Amounts, InvoiceID: c.InvoiceID, PayBy: payBy, PlacedAt: now}
}

func TestPlacement(t *testing.T) {
	t.Parallel()
	place := func(c order.Place) func(order.State) ([]order.Event, error) {
		return func(s order.State) ([]order.Event, error) { return order.Placement(s, c, now) }
	}
	orders.Given().When(place(tote())).Then(t, placed())
	orders.Given(placed()).When(place(tote())).Then(t)

	broken := []struct {
		name  string
		apply func(*order.Place)
		field string
	}{
		{"no items", func(c *order.Place) { c.Items = nil }, "items"},
		{"a quantity of zero", func(c *order.Place) { c.Items[0].Quantity = 0 }, "items[0].quantity"},
		{"a currency in capitals", func(c *order.Place) { c.Currency = "USD" }, "currency"},
		{"a total that does not add up", func(c *order.Place) { c.Amounts.Total = 1 }, "amounts"},
		{"a negative discount", func(c *order.Place) { c.Amounts.Discount = -1 }, "amounts"},
		{"an inclusive tax above the subtotal", func(c *order.Place) { c.Amounts.InclusiveTax = 5001 }, "amounts"},
		{"no invoice", func(c *order.Place) { c.InvoiceID = 0 }, "invoice_id"},
		{"a NUL in a name", func(c *order.Place) { c.Items[0].Name = "Tote\x00" }, "items[0].name"},
		{"a campaign key with a space", func(c *order.Place) { c.CampaignKey = "bad key!" }, "campaign_key"},
		{"a campaign key too short", func(c *order.Place) { c.CampaignKey = "x" }, "campaign_key"},
	}
	for _, b := range broken {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			c := tote()
			c.Items = append([]order.Item(nil), c.Items...)
			b.apply(&c)
			_, err := order.Placement(order.State{}, c, now)
			var problems aggregates.FieldProblems
			if !errors.As(err, &problems) || problems[0].Field != b.field {
				t.Fatalf("placing %+v: got %v, want a problem with %s", c, err, b.field)
			}
		})
	}
}

func TestPaymentAndCancellation(t *testing.T) {
	t.Parallel()
	paid := order.Paid{OrderID: 7, PaidAt: now}
	expired := order.Canceled{OrderID: 7, Reason: order.ReasonExpired, CanceledAt: payBy}
	pay := func(s order.State) ([]order.Event, error) { return order.Payment(s, now) }
	cancel := func(reason order.CancelReason, at time.Time) func(order.State) ([]order.Event, error) {
		return func(s order.State) ([]order.Event, error) { return order.Cancellation(s, reason, at) }
	}
	cases := []struct {
		name   string
		given  []order.Event
		decide func(order.State) ([]order.Event, error)
		want   []order.Event
		err    error
	}{
		{"a pending order is paid", []order.Event{placed()}, pay, []order.Event{paid}, nil},
		{"a paid order is paid once", []order.Event{placed(), paid}, pay, nil, nil},
		{"a canceled order cannot be paid", []order.Event{placed(), expired}, pay, nil, order.ErrCanceled},
		{"no order cannot be paid", nil, pay, nil, order.ErrNotFound},
		{"a pending order is declined", []order.Event{placed()}, cancel(order.ReasonDeclined, now),
			[]order.Event{order.Canceled{OrderID: 7, Reason: order.ReasonDeclined, CanceledAt: now}}, nil},
		{"a pending order expires at its deadline", []order.Event{placed()}, cancel(order.ReasonExpired, payBy),
			[]order.Event{expired}, nil},
		{"it does not expire before", []order.Event{placed()}, cancel(order.ReasonExpired, payBy.Add(-time.Second)),
			nil, order.ErrNotDue},
		{"a paid order is never canceled", []order.Event{placed(), paid}, cancel(order.ReasonExpired, payBy), nil,
			order.ErrAlreadyPaid},
		{"a canceled order is canceled once", []order.Event{placed(), expired}, cancel(order.ReasonDeclined, now),
			nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			outcome := orders.Given(c.given...).When(c.decide)
			if c.err != nil {
				outcome.ThenError(t, c.err)
				return
			}
			outcome.Then(t, c.want...)
		})
	}
}
