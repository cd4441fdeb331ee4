package order

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/order"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

var (
	t1 = time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	t2 = t1.Add(time.Minute)
)

type step = projectiontest.Step

var (
	placed = projectiontest.At(0, applyPlaced, order.Placed{OrderID: 7, CustomerID: 42, AccountID: 3, SiteID: 5,
		Currency: "usd", Items: []order.Item{{SKUID: 9001, EcommerceProductID: 301, Name: "Tote bag", Quantity: 2,
			UnitAmount: 2500}}, Amounts: order.Amounts{Subtotal: 5000, Tax: 250, Total: 5250}, InvoiceID: 11,
		PayBy: t1.Add(15 * time.Minute), PlacedAt: t1})
	paid     = projectiontest.At(1, applyPaid, order.Paid{OrderID: 7, PaidAt: t2})
	declined = projectiontest.At(1, applyCanceled, order.Canceled{OrderID: 7, Reason: order.ReasonDeclined, CanceledAt: t2})
)

// row is what the read model holds for order 7.
type row struct {
	Status   string `db:"status"`
	Reason   string `db:"cancel_reason"`
	Total    int64  `db:"total"`
	Items    string `db:"items"`
	Revision int64  `db:"revision"`
}

func TestOrderRows(t *testing.T) {
	t.Parallel()
	items := `[{"name": "Tote bag", "amount": 5000, "sku_id": 9001, "quantity": 2, "product_id": 301, "unit_amount": 2500}]`
	cases := []struct {
		name  string
		given []step
		when  step
		then  row
	}{
		{"placed inserts the pending order with its items", nil, placed, row{Status: "pending", Total: 5250, Items: items}},
		{"paid completes it", []step{placed}, paid, row{Status: "paid", Total: 5250, Items: items, Revision: 1}},
		{"canceled says why", []step{placed}, declined,
			row{Status: "canceled", Reason: "declined", Total: 5250, Items: items, Revision: 1}},
		{"an event older than the row changes nothing", []step{placed, paid}, declined,
			row{Status: "paid", Total: 5250, Items: items, Revision: 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given the history, when the event is applied twice (a redelivery)
			db := projectiontest.Redelivered(t, tc.given, tc.when)
			// then the row reflects it once
			var got row
			if err := db.GetContext(t.Context(), &got, `SELECT status, cancel_reason, total, items::text AS items,
				revision FROM orders WHERE id = 7`); err != nil {
				t.Fatalf("select: %v", err)
			}
			if got != tc.then {
				t.Fatalf("row = %+v, want %+v", got, tc.then)
			}
		})
	}
}
