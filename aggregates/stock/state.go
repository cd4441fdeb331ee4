package stock

import (
	"maps"
	"time"
)

// Hold is the units one order holds and until when.
type Hold struct {
	Quantity  int64
	ExpiresAt time.Time
}

// State is a SKU's stock as its stream tells it: the units sold and the holds of orders not settled yet.
// The zero value is a SKU nothing was ever reserved of.
type State struct {
	SKUID int64
	Sold  int64
	Held  map[int64]Hold
	// Settled are the orders whose hold ended (sold or released): a late or retried reservation of theirs
	// is not taken again.
	Settled map[int64]bool
}

// HeldUnits is how many units the open holds take.
func (s State) HeldUnits() int64 {
	var n int64
	for _, h := range s.Held {
		n += h.Quantity
	}
	return n
}

// Available is what is left to reserve of inventory units: nothing below zero (an inventory lowered under
// what was sold leaves none).
func (s State) Available(inventory int64) int64 {
	return max(inventory-s.Sold-s.HeldUnits(), 0)
}

// Evolve folds one event into the state. It copies the maps before writing, so earlier states stay valid.
func Evolve(s State, e Event) State {
	switch e := e.(type) {
	case Reserved:
		s.SKUID = e.SKUID
		s.Held = maps.Clone(s.Held)
		if s.Held == nil {
			s.Held = map[int64]Hold{}
		}
		s.Held[e.OrderID] = Hold{Quantity: e.Quantity, ExpiresAt: e.ExpiresAt}
	case Sold:
		s.Sold += e.Quantity
		s = s.settle(e.OrderID)
	case Released:
		s = s.settle(e.OrderID)
	}
	return s
}

// settle ends the order's hold.
func (s State) settle(orderID int64) State {
	s.Held = maps.Clone(s.Held)
	delete(s.Held, orderID)
	s.Settled = maps.Clone(s.Settled)
	if s.Settled == nil {
		s.Settled = map[int64]bool{}
	}
	s.Settled[orderID] = true
	return s
}
