package billing

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/order"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// Expirer ends an order nobody finished by its deadline, at or before until (commands.Orders.ExpireDue).
type Expirer interface {
	ExpireDue(ctx context.Context, orderID int64, until time.Time) (commands.OrderResult, error)
}

// OrderExpiry is the process manager that gives back the units of orders nobody finished: it reads the
// pending orders whose deadline passed from the orders read model (projections/order) and has the commands
// expire each. The read model only says where to look: Expire decides on the order's and invoice's streams,
// so an order paid meanwhile is completed instead, and several processes expiring the same order at once
// write its events once.
type OrderExpiry struct {
	DB      *sqlx.DB
	Expirer Expirer
	// BatchSize is how many orders one round reads (zero: DefaultBatchSize).
	BatchSize int
	// Report receives every order the run ended, one call at a time (nil: none).
	Report func(commands.OrderResult)
}

// ExpirySummary is what an expiry run did: the orders it looked at, how many ended by outcome (expired:
// canceled unpaid; paid: its invoice was paid meanwhile), and those that failed with their errors (a charge
// still pending at the gateway keeps its order for the next run).
type ExpirySummary struct {
	Orders   int
	Outcomes map[string]int
	Failed   map[int64]error
}

// ExpiryOutcome is what became of an order the expiry ended: "expired" (canceled for its deadline),
// "paid", or the order's status otherwise (an order another process ended first).
func ExpiryOutcome(o order.State) string {
	if o.Status == order.StatusCanceled && o.CancelReason == order.ReasonExpired {
		return "expired"
	}
	return string(o.Status)
}

// Run expires every order pending past until, round after round, until none is left but the failed ones.
func (x OrderExpiry) Run(ctx context.Context, until time.Time) (ExpirySummary, error) {
	sum := ExpirySummary{Outcomes: map[string]int{}, Failed: map[int64]error{}}
	after := int64(0)
	for {
		var due []int64
		err := x.DB.SelectContext(ctx, &due, `SELECT id FROM orders WHERE status = 'pending' AND pay_by <= $1
			AND id > $2 ORDER BY id LIMIT $3`, until, after, x.batchSize())
		if err != nil {
			return sum, fmt.Errorf("billing: read the orders past their deadline: %w", err)
		}
		if len(due) == 0 {
			break
		}
		for _, id := range due {
			sum.Orders++
			switch r, err := x.Expirer.ExpireDue(ctx, id, until); {
			case err != nil:
				sum.Failed[id] = err
			case r.Order.Status != order.StatusPending:
				sum.Outcomes[ExpiryOutcome(r.Order)]++
				if x.Report != nil {
					x.Report(r)
				}
			}
			if ctx.Err() != nil {
				return sum, ctx.Err()
			}
		}
		after = due[len(due)-1]
	}
	for id, err := range sum.Failed {
		return sum, fmt.Errorf("billing: %d order(s) could not be expired (order %d: %w)", len(sum.Failed), id, err)
	}
	return sum, nil
}

func (x OrderExpiry) batchSize() int {
	if x.BatchSize <= 0 {
		return DefaultBatchSize
	}
	return x.BatchSize
}

// Every runs the expiry on the wall clock until ctx ends, as Runner.Every does.
func (x OrderExpiry) Every(ctx context.Context, period time.Duration, now func() time.Time, onError func(error)) {
	every(ctx, period, func() error { _, err := x.Run(ctx, now()); return err }, onError)
}
