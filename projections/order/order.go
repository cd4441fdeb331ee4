// Package order projects the e-commerce order events (aggregates/order) into the orders read-model table
// (migration 00090), which queries.Customers reads for the Customer resource's `orders` (spec 3.1, 3.7)
// and the order expiry (orderexpiry) reads for the pending orders past their deadline.
//
// Every row carries the revision of the order's stream (order-<id>) it reflects; an event is applied only
// to an older row, so an event delivered twice changes nothing.
package order

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/order"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// Name is the projection's name and checkpoint key. Warning: changing it replays the whole log into the
// same table (see projections.Projection.Name); bump it only together with a fresh table.
const Name = "orders.v1"

// Projection keeps orders, one row per order.
func Projection() projections.Projection {
	return projections.Projection{
		Name:   Name,
		Tables: []string{"orders"},
		Handlers: []projections.Handler{
			projections.On(applyPlaced),
			projections.On(applyPaid),
			projections.On(applyCanceled),
		},
	}
}

// line is an order line as the resource shows it.
type line struct {
	SKUID      int64  `json:"sku_id"`
	ProductID  int64  `json:"product_id"`
	Name       string `json:"name"`
	Quantity   int64  `json:"quantity"`
	UnitAmount int64  `json:"unit_amount"`
	Amount     int64  `json:"amount"`
}

// applyPlaced inserts the order, pending; a row already there means the event is applied already. The tax
// column holds every jurisdiction's tax, as the resource shows it (see projections/invoice).
func applyPlaced(ctx context.Context, tx *sqlx.Tx, e projections.Event[order.Placed]) error {
	d := e.Data
	lines := make([]line, len(d.Items))
	for i, item := range d.Items {
		lines[i] = line{SKUID: item.SKUID, ProductID: item.EcommerceProductID, Name: item.Name, Quantity: item.Quantity,
			UnitAmount: item.UnitAmount, Amount: item.Amount()}
	}
	encoded, err := json.Marshal(lines)
	if err != nil {
		return fmt.Errorf("encode the items of order %d: %w", d.OrderID, err)
	}
	a := d.Amounts
	_, err = tx.ExecContext(ctx, `INSERT INTO orders (id, customer_id, account_id, site_id, status, currency, items,
		subtotal, shipping, tax, discount, total, invoice_id, address_id, pay_by, cancel_reason, created_at,
		updated_at, revision)
		VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, '', $15, $15, $16)
		ON CONFLICT (id) DO NOTHING`,
		d.OrderID, d.CustomerID, d.AccountID, d.SiteID, d.Currency, encoded, a.Subtotal, a.Shipping, a.AllTax(), a.Discount,
		a.Total, d.InvoiceID, d.AddressID, d.PayBy, d.PlacedAt, e.Revision)
	if err != nil {
		return fmt.Errorf("insert order %d: %w", d.OrderID, err)
	}
	return nil
}

func applyPaid(ctx context.Context, tx *sqlx.Tx, e projections.Event[order.Paid]) error {
	return update(ctx, tx, e.Data.OrderID, e.Revision, e.Data.PaidAt, order.StatusPaid, "")
}

func applyCanceled(ctx context.Context, tx *sqlx.Tx, e projections.Event[order.Canceled]) error {
	return update(ctx, tx, e.Data.OrderID, e.Revision, e.Data.CanceledAt, order.StatusCanceled, e.Data.Reason)
}

// update moves the order to status when the row is older than the event.
func update(ctx context.Context, tx *sqlx.Tx, id int64, revision uint64, at time.Time, status order.Status,
	reason order.CancelReason) error {
	_, err := tx.ExecContext(ctx, `UPDATE orders SET status = $4, cancel_reason = $5, updated_at = $3, revision = $2
		WHERE id = $1 AND revision < $2`, id, revision, at, string(status), string(reason))
	if err != nil {
		return fmt.Errorf("update order %d: %w", id, err)
	}
	return nil
}
