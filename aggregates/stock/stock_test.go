package stock_test

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/aggtest"
	"github.com/pelcro-oss/pelcro-api/aggregates/stock"
)

var (
	skus    = aggtest.For(stock.Events, stock.Evolve)
	now     = time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	expires = now.Add(15 * time.Minute)
)

func held(order, quantity int64) stock.Reserved {
	return stock.Reserved{SKUID: 9001, OrderID: order, Quantity: quantity, ExpiresAt: expires, ReservedAt: now}
}

func reserve(order, quantity int64, inventory int64) func(stock.State) ([]stock.Event, error) {
	return func(s stock.State) ([]stock.Event, error) {
		return stock.Reservation(s, stock.Reserve{SKUID: 9001, OrderID: order, Quantity: quantity, Inventory: inventory,
			ExpiresAt: expires}, now)
	}
}

func TestReservation(t *testing.T) {
	t.Parallel()
	ten := int64(10)
	sold := stock.Sold{SKUID: 9001, OrderID: 1, Quantity: 4, SoldAt: now}
	released := stock.Released{SKUID: 9001, OrderID: 2, Quantity: 3, ReleasedAt: now}
	cases := []struct {
		name      string
		given     []stock.Event
		order     int64
		qty       int64
		inventory int64
		want      []stock.Event
	}{
		{"units in stock are held", nil, 1, 10, ten, []stock.Event{held(1, 10)}},
		{"what is sold and held is not left", []stock.Event{held(1, 4), sold, held(2, 3)}, 3, 3, ten,
			[]stock.Event{held(3, 3)}},
		{"released units are back", []stock.Event{held(2, 3), released}, 3, 10, ten, []stock.Event{held(3, 10)}},
		{"the order holding already changes nothing", []stock.Event{held(1, 10)}, 1, 10, ten, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			skus.Given(c.given...).When(reserve(c.order, c.qty, c.inventory)).Then(t, c.want...)
		})
	}
}

func TestReservationRefuses(t *testing.T) {
	t.Parallel()
	ten := int64(10)
	cases := []struct {
		name      string
		given     []stock.Event
		order     int64
		qty       int64
		inventory int64
		want      error
	}{
		{"more than is left", []stock.Event{held(1, 8)}, 2, 3, ten, stock.ErrOutOfStock},
		{"anything of an empty SKU", nil, 1, 1, 0, stock.ErrOutOfStock},
		{"an inventory lowered under what was sold", []stock.Event{held(1, 8),
			stock.Sold{SKUID: 9001, OrderID: 1, Quantity: 8, SoldAt: now}}, 2, 1, 5,
			stock.ErrOutOfStock},
		{"an order released before it reserved", []stock.Event{stock.Released{SKUID: 9001, OrderID: 2,
			ReleasedAt: now}}, 2, 1, ten, stock.ErrSettled},
		{"a quantity of zero", nil, 1, 0, ten, stock.ErrInvalid},
		{"no order", nil, 0, 1, ten, stock.ErrInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			skus.Given(c.given...).When(reserve(c.order, c.qty, c.inventory)).ThenError(t, c.want)
		})
	}
}

func TestSettling(t *testing.T) {
	t.Parallel()
	sell := func(order int64) func(stock.State) ([]stock.Event, error) {
		return func(s stock.State) ([]stock.Event, error) { return stock.Sell(s, order, now) }
	}
	release := func(order int64) func(stock.State) ([]stock.Event, error) {
		return func(s stock.State) ([]stock.Event, error) { return stock.Release(s, 9001, order, now) }
	}
	sold := stock.Sold{SKUID: 9001, OrderID: 1, Quantity: 2, SoldAt: now}
	cases := []struct {
		name   string
		given  []stock.Event
		decide func(stock.State) ([]stock.Event, error)
		want   []stock.Event
	}{
		{"a held order buys its units", []stock.Event{held(1, 2)}, sell(1), []stock.Event{sold}},
		{"a sold order sells nothing twice", []stock.Event{held(1, 2), sold}, sell(1), nil},
		{"an order holding nothing sells nothing", nil, sell(1), nil},
		{"a held order gives its units back", []stock.Event{held(1, 2)}, release(1),
			[]stock.Event{stock.Released{SKUID: 9001, OrderID: 1, Quantity: 2, ReleasedAt: now}}},
		{"an order not held yet is released for good", nil, release(1),
			[]stock.Event{stock.Released{SKUID: 9001, OrderID: 1, ReleasedAt: now}}},
		{"a sold order is never released", []stock.Event{held(1, 2), sold}, release(1), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			skus.Given(c.given...).When(c.decide).Then(t, c.want...)
		})
	}
}
