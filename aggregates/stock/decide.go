package stock

import (
	"errors"
	"time"
)

// Refusals of a reservation.
var (
	// ErrOutOfStock: fewer units are left than the order asks for.
	ErrOutOfStock = errors.New("stock: not enough units left")
	// ErrSettled: the order's hold already ended (sold or released); it cannot hold units again.
	ErrSettled = errors.New("stock: the order's reservation already ended")
	// ErrInvalid: a quantity below 1 or an order id below 1.
	ErrInvalid = errors.New("stock: order id and quantity must be positive")
)

// Level is the SKU's stock level as the catalog gives it: Inventory units in all, or no limit at all. Whether
// a SKU is limited is decided once, when an order is placed, and recorded on its line (order.Item.Unlimited):
// an unlimited line never reaches its SKU's stock stream, so its buyers never contend there, and Reserve
// only ever counts units against an inventory.
type Level struct {
	Inventory int64
	Unlimited bool
}

// Reserve is the command holding Quantity units of SKUID for OrderID until ExpiresAt, out of the Inventory
// the catalog gives the SKU.
type Reserve struct {
	SKUID     int64
	OrderID   int64
	Quantity  int64
	Inventory int64
	ExpiresAt time.Time
}

// Reservation holds the units when enough are left at the level. The order holding units already is a
// no-op (a retried reservation); an order whose hold ended is refused with ErrSettled.
func Reservation(s State, c Reserve, now time.Time) ([]Event, error) {
	switch _, held := s.Held[c.OrderID]; {
	case c.OrderID < 1 || c.Quantity < 1:
		return nil, ErrInvalid
	case held:
		return nil, nil
	case s.Settled[c.OrderID]:
		return nil, ErrSettled
	case s.Available(c.Inventory) < c.Quantity:
		return nil, ErrOutOfStock
	}
	return []Event{Reserved{SKUID: c.SKUID, OrderID: c.OrderID, Quantity: c.Quantity, ExpiresAt: c.ExpiresAt,
		ReservedAt: now}}, nil
}

// Sell turns the order's hold into a sale. An order holding nothing (sold already, or never held) is a
// no-op, so a retried completion sells nothing twice.
func Sell(s State, orderID int64, now time.Time) ([]Event, error) {
	h, held := s.Held[orderID]
	if !held {
		return nil, nil
	}
	return []Event{Sold{SKUID: s.SKUID, OrderID: orderID, Quantity: h.Quantity, SoldAt: now}}, nil
}

// Release gives the order's held units back and ends its reservation. An order that holds nothing yet is
// released too (Quantity 0), so a reservation of its arriving late (a process that stalled before
// reserving while its order expired) is refused instead of holding units nobody will ever free. An order
// settled already is a no-op; a release never takes back units sold.
func Release(s State, skuID, orderID int64, now time.Time) ([]Event, error) {
	if s.Settled[orderID] {
		return nil, nil
	}
	return []Event{Released{SKUID: skuID, OrderID: orderID, Quantity: s.Held[orderID].Quantity,
		ReleasedAt: now}}, nil
}
