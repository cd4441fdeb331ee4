package stock

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/stock"
	"github.com/pelcro-oss/pelcro-api/projections"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

var t1 = time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)

type step = projectiontest.Step

// at is the stock event of SKU 9001's stream at that revision.
func at[E any](revision uint64, apply projections.StatementFunc[E], data E) step {
	return projectiontest.At(revision, projections.ApplyStatement(apply), data)
}

func reserved(revision uint64, order, quantity int64) step {
	return at(revision, applyReserved, stock.Reserved{SKUID: 9001, OrderID: order, Quantity: quantity,
		ExpiresAt: t1.Add(15 * time.Minute), ReservedAt: t1})
}

func sold(revision uint64, order, quantity int64) step {
	return at(revision, applySold, stock.Sold{SKUID: 9001, OrderID: order, Quantity: quantity, SoldAt: t1})
}

func released(revision uint64, order, quantity int64) step {
	return at(revision, applyReleased, stock.Released{SKUID: 9001, OrderID: order, Quantity: quantity, ReleasedAt: t1})
}

// row is what the read model holds for SKU 9001.
type row struct {
	Sold     int64 `db:"sold"`
	Held     int64 `db:"held"`
	Revision int64 `db:"revision"`
}

func TestStockLevelRows(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		given []step
		when  step
		then  row
	}{
		{"a reservation holds its units", nil, reserved(0, 1, 3), row{Held: 3}},
		{"another order holds more", []step{reserved(0, 1, 3)}, reserved(1, 2, 2), row{Held: 5, Revision: 1}},
		{"a sale turns held units into sold ones", []step{reserved(0, 1, 3), reserved(1, 2, 2)}, sold(2, 1, 3),
			row{Sold: 3, Held: 2, Revision: 2}},
		{"a release gives held units back", []step{reserved(0, 1, 3), reserved(1, 2, 2)}, released(2, 2, 2),
			row{Held: 3, Revision: 2}},
		{"an order released before it held anything leaves the counts", nil, released(0, 1, 0), row{}},
		{"an event older than the row changes nothing", []step{reserved(0, 1, 3), sold(1, 1, 3)}, reserved(1, 1, 3),
			row{Sold: 3, Revision: 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given the SKU's history, when the event is applied twice (a redelivery)
			db := projectiontest.Redelivered(t, tc.given, tc.when)
			// then the row counts it once
			var got row
			if err := db.GetContext(t.Context(), &got, `SELECT sold, held, revision FROM stock_levels
				WHERE sku_id = 9001`); err != nil {
				t.Fatalf("select: %v", err)
			}
			if got != tc.then {
				t.Fatalf("row = %+v, want %+v", got, tc.then)
			}
		})
	}
}

func TestEveryStockEventIsKeyedByItsSKU(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		data any
	}{
		{"reserved", stock.Reserved{SKUID: 9001, OrderID: 1, Quantity: 2}},
		{"sold", stock.Sold{SKUID: 9001, OrderID: 1, Quantity: 2}},
		{"released", stock.Released{SKUID: 9001, OrderID: 1, Quantity: 2}},
	}
	for _, c := range cases {
		if got := Projection().ChangeKey(c.data); got != 9001 {
			t.Errorf("%s: ChangeKey = %d, want the SKU 9001", c.name, got)
		}
	}
}
