// Package stock is the stock of one e-commerce SKU, decided on the write side so it never oversells: each
// SKU is one stream, stock-<sku id>, and every unit an order takes is a reservation appended with the
// revision the decision saw. Of many orders racing for the last units, the ones whose append lost re-read
// the stream and decide again on what is left: exactly as many units are reserved as the SKU has.
//
// A reservation holds units for one order until a deadline (the order's payment window): the order either
// buys them (Sold) once it is paid, or gives them back (Released) when its payment fails or its deadline
// passes with nobody left to finish it. The stock level itself is the catalog's (the SKU's inventory): it is
// an input of the decision, never stored here, so importing a new inventory changes what is left at once.
package stock

import (
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// Event is implemented by every stock event.
type Event interface {
	isStockEvent()
}

// Reserved records that OrderID holds Quantity units of the SKU until ExpiresAt.
type Reserved struct {
	SKUID      int64     `json:"sku_id"`
	OrderID    int64     `json:"order_id"`
	Quantity   int64     `json:"quantity"`
	ExpiresAt  time.Time `json:"expires_at"`
	ReservedAt time.Time `json:"reserved_at"`
}

// Sold records that the order holding the units paid for them: they left the stock for good.
type Sold struct {
	SKUID    int64     `json:"sku_id"`
	OrderID  int64     `json:"order_id"`
	Quantity int64     `json:"quantity"`
	SoldAt   time.Time `json:"sold_at"`
}

// Released records that the order's units are back in stock (its payment failed or its deadline passed).
type Released struct {
	SKUID      int64     `json:"sku_id"`
	OrderID    int64     `json:"order_id"`
	Quantity   int64     `json:"quantity"`
	ReleasedAt time.Time `json:"released_at"`
}

func (Reserved) isStockEvent() {}
func (Sold) isStockEvent()     {}
func (Released) isStockEvent() {}

// Events names every stock event. Warning: the names are a stored format (see aggregates.Registry);
// renaming one forgets the reservations and sales it names, so units sold could be sold a second time.
var Events = func() *aggregates.Registry {
	r := aggregates.NewRegistry()
	aggregates.MustRegister[Reserved](r, "stock.reserved")
	aggregates.MustRegister[Sold](r, "stock.sold")
	aggregates.MustRegister[Released](r, "stock.released")
	return r
}()
