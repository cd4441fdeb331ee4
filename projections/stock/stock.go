// Package stock projects the e-commerce stock events (aggregates/stock) into the stock_levels read model
// (migration 00119): per SKU, the units sold and the units held by orders not settled yet. The product
// list (queries.Catalog.EcommerceProducts) subtracts them from the catalog's inventory to show what an
// order could take now, so a front end can show a SKU as sold out. The write side never reads this table:
// an order's units are still decided on the SKU's stock stream alone, so a lagging row can never oversell.
//
// A row is keyed by the SKU id the events carry, which is the id of their stream (stock-<sku id>), and
// carries the revision of that stream it reflects; an event is applied only to an older row, so an event
// delivered twice changes nothing. Unlimited SKUs hold no units and write no stock events: they have no row.
package stock

import (
	"fmt"

	"github.com/pelcro-oss/pelcro-api/aggregates/stock"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// Name is the projection's name and checkpoint key. Warning: changing it replays the whole log into the
// same table (see projections.Projection.Name); bump it only together with a fresh table.
const Name = "stock_levels.v1"

// Projection keeps stock_levels, one row per SKU with stock events.
func Projection() projections.Projection {
	return projections.Projection{
		Name:   Name,
		Tables: []string{"stock_levels"},
		Handlers: []projections.Handler{
			projections.OnStatement(applyReserved),
			projections.OnStatement(applySold),
			projections.OnStatement(applyReleased),
		},
		ChangeKey: skuOf,
	}
}

// skuOf is the SKU a stock event moves: the product list's cache drops only the answers showing it.
func skuOf(data any) int64 {
	switch e := data.(type) {
	case stock.Reserved:
		return e.SKUID
	case stock.Sold:
		return e.SKUID
	case stock.Released:
		return e.SKUID
	}
	return 0
}

// applyReserved counts the order's units as held.
func applyReserved(e projections.Event[stock.Reserved]) (projections.Statement, error) {
	return move(e.Envelope, e.Data.SKUID, 0, e.Data.Quantity), nil
}

// applySold turns the order's held units into units sold (the event names the quantity the hold had).
func applySold(e projections.Event[stock.Sold]) (projections.Statement, error) {
	return move(e.Envelope, e.Data.SKUID, e.Data.Quantity, -e.Data.Quantity), nil
}

// applyReleased gives the order's held units back (0 for an order released before it held any).
func applyReleased(e projections.Event[stock.Released]) (projections.Statement, error) {
	return move(e.Envelope, e.Data.SKUID, 0, -e.Data.Quantity), nil
}

// move adds sold and held to the SKU's row, creating it at the stream's first event, when the row is older
// than the event.
func move(env projections.Envelope, skuID, sold, held int64) projections.Statement {
	return projections.Statement{
		Query: `INSERT INTO stock_levels AS l (sku_id, sold, held, revision) VALUES ($1, $2, $3, $4)
			ON CONFLICT (sku_id) DO UPDATE SET sold = l.sold + EXCLUDED.sold, held = l.held + EXCLUDED.held,
			revision = EXCLUDED.revision WHERE l.revision < EXCLUDED.revision`,
		Args:    []any{skuID, sold, held, int64(env.Revision)},
		Failing: fmt.Sprintf("move the stock of SKU %d at revision %d", skuID, env.Revision),
	}
}
