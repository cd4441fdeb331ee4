package deadline

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/projections"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

// batchHistory is two subscriptions' events interleaved, with a redelivered renewal of subscription 9.
func batchHistory() []projections.Event[any] {
	of := func(stream string, revision uint64, data subscription.Event) projections.Event[any] {
		return projections.Event[any]{Envelope: projections.Envelope{Stream: stream, Revision: revision}, Data: data}
	}
	created10 := subscription.Created{SubscriptionID: 10, CustomerID: 43, AccountID: 1, SiteID: 1,
		Type: subscription.TypeRegular, Status: subscription.StatusActive, Terms: monthly, Quantity: 1,
		Billing: subscription.BillingChargeAutomatically, PeriodStart: t0, PeriodEnd: t1, CreatedAt: t0}
	return []projections.Event[any]{
		of("subscription-9", 0, subscription.Created{SubscriptionID: 9, CustomerID: 42, AccountID: 1, SiteID: 1,
			Type: subscription.TypeRegular, Status: subscription.StatusActive, Terms: monthly, Quantity: 1,
			Billing: subscription.BillingChargeAutomatically, PeriodStart: t0, PeriodEnd: t1, CreatedAt: t0}),
		of("subscription-10", 0, created10),
		of("subscription-9", 1, subscription.PeriodStarted{SubscriptionID: 9, Cycle: 2,
			Phase: subscription.Phase{Terms: monthly, Quantity: 1}, PeriodStart: t1, PeriodEnd: t1.AddDate(0, 1, 0),
			InvoiceID: 77, Amount: 1000, StartedAt: t1}),
		of("subscription-9", 2, subscription.PaymentFailed{SubscriptionID: 9, InvoiceID: 77, Failures: 1,
			Reason: "card_declined", NextRetryAt: t1.AddDate(0, 0, 3), FailedAt: t1}),
		of("subscription-9", 1, subscription.PeriodStarted{SubscriptionID: 9, Cycle: 2,
			Phase: subscription.Phase{Terms: monthly, Quantity: 1}, PeriodStart: t1, PeriodEnd: t1.AddDate(0, 1, 0),
			InvoiceID: 77, Amount: 1000, StartedAt: t1}),
		of("subscription-10", 1, subscription.Ended{SubscriptionID: 10, Status: subscription.StatusCanceled,
			By: subscription.ByCustomer, EndedAt: t0.Add(time.Hour)}),
		of("subscription-10", 0, created10),
	}
}

func TestBatchMatchesTheHandlers(t *testing.T) {
	t.Parallel()
	events := batchHistory()
	// given the rows the handlers leave, one event at a time
	want := deadlines(t, inBatches(t, events, 1, func(ctx context.Context, tx *sqlx.Tx, part []projections.Event[any]) error {
		return foldOne(ctx, tx, part[0])
	}))
	if len(want) != 2 {
		t.Fatalf("the handlers left %+v, want 2 rows", want)
	}
	sizes := []int{1, 2, 3, 5, len(events)}
	for _, size := range sizes {
		t.Run(fmt.Sprintf("batches of %d", size), func(t *testing.T) {
			t.Parallel()
			// when the same events are folded by the batch path, size at a time
			got := deadlines(t, inBatches(t, events, size, applyBatch))
			// then the rows are the same
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("batched: %+v\nwant one by one: %+v", got, want)
			}
		})
	}
}

// inBatches applies events to a fresh read-model database through apply, size events per transaction.
func inBatches(t *testing.T, events []projections.Event[any], size int,
	apply func(context.Context, *sqlx.Tx, []projections.Event[any]) error) *sqlx.DB {
	t.Helper()
	db := projectiontest.ReadModels(t)
	for len(events) > 0 {
		part := events[:min(size, len(events))]
		events = events[len(part):]
		projectiontest.InTx(t, db, func(ctx context.Context, tx *sqlx.Tx) error { return apply(ctx, tx, part) })
	}
	return db
}

// foldOne applies e through fold, the handlers' apply func, as the running projection does a single event.
func foldOne(ctx context.Context, tx *sqlx.Tx, e projections.Event[any]) error {
	return fold(ctx, tx, projections.Event[subscription.Event]{Envelope: e.Envelope, Data: e.Data.(subscription.Event)})
}

// storedRow is a whole billing_deadlines row but its lease, times in UTC.
type storedRow struct {
	ID       int64      `db:"subscription_id"`
	State    string     `db:"state"`
	Kind     *string    `db:"kind"`
	DueAt    *time.Time `db:"due_at"`
	Revision int64      `db:"revision"`
}

func deadlines(t *testing.T, db *sqlx.DB) []storedRow {
	t.Helper()
	var rows []storedRow
	if err := db.SelectContext(t.Context(), &rows, `SELECT subscription_id, state::text AS state, kind, due_at, revision
		FROM billing_deadlines ORDER BY subscription_id`); err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		if rows[i].DueAt != nil {
			utc := rows[i].DueAt.UTC()
			rows[i].DueAt = &utc
		}
	}
	return rows
}
