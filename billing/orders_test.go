package billing_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/order"
	"github.com/pelcro-oss/pelcro-api/billing"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest/migratedtest"
)

// expirer records the orders it is asked to expire and refuses the ones in refuse.
type expirer struct {
	mu      sync.Mutex
	asked   []int64
	refuses map[int64]bool
}

func (e *expirer) ExpireDue(_ context.Context, id int64, _ time.Time) (commands.OrderResult, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.asked = append(e.asked, id)
	if e.refuses[id] {
		return commands.OrderResult{}, errors.New("a charge is pending at the gateway")
	}
	return commands.OrderResult{Order: order.State{ID: id, Status: order.StatusCanceled, CancelReason: order.ReasonExpired}}, nil
}

func TestOrderExpiryAsksForEveryPendingOrderPastItsDeadline(t *testing.T) {
	t.Parallel()
	// Given orders: pending past the deadline (1, 2, 4), pending not due yet (3), paid past it (5)
	db, err := pg.Open(t.Context(), migratedtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	now := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	for _, o := range []struct {
		id     int64
		status string
		payBy  time.Time
	}{{1, "pending", now.Add(-time.Hour)}, {2, "pending", now}, {3, "pending", now.Add(time.Second)},
		{4, "pending", now.Add(-time.Minute)}, {5, "paid", now.Add(-time.Hour)}} {
		_, err := db.ExecContext(t.Context(), `INSERT INTO orders (id, customer_id, account_id, site_id, status,
			currency, items, subtotal, shipping, tax, discount, total, invoice_id, address_id, pay_by, cancel_reason,
			created_at, updated_at, revision) VALUES ($1, 1, 1, 1, $2, 'usd', '[]', 0, 0, 0, 0, 0, 1, 0, $3, '', $3, $3, 0)`,
			o.id, o.status, o.payBy)
		if err != nil {
			t.Fatal(err)
		}
	}
	// When the expiry runs at now, in rounds of one, with order 4's charge still pending
	x := &expirer{refuses: map[int64]bool{4: true}}
	sum, err := billing.OrderExpiry{DB: db, Expirer: x, BatchSize: 1}.Run(t.Context(), now)
	// Then it asked for 1, 2 and 4 once each, and says 4 failed
	if len(x.asked) != 3 || x.asked[0] != 1 || x.asked[1] != 2 || x.asked[2] != 4 {
		t.Errorf("asked %v, want [1 2 4]", x.asked)
	}
	if err == nil || sum.Orders != 3 || len(sum.Failed) != 1 || sum.Failed[4] == nil || sum.Outcomes["expired"] != 2 {
		t.Errorf("summary %+v, %v; want 3 orders, 2 expired and order 4 failed", sum, err)
	}
}
