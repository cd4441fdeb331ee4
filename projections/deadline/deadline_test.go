package deadline

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/projections"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

var (
	t0      = time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
	t1      = t0.AddDate(0, 1, 0)
	monthly = subscription.Terms{PlanID: 4051, Amount: 1000, Currency: "usd", Interval: "month", IntervalCount: 1,
		AutoRenew: true}
)

// at is the event of subscription 9 at a revision, as the runner delivers it.
func at[E subscription.Event](revision uint64, data E) projectiontest.Step {
	return func(ctx context.Context, tx *sqlx.Tx) error {
		return fold(ctx, tx, projections.Event[E]{Envelope: projections.Envelope{Stream: "subscription-9",
			Revision: revision}, Data: data})
	}
}

var (
	created = at(0, subscription.Created{SubscriptionID: 9, CustomerID: 42, AccountID: 1, SiteID: 1,
		Type: subscription.TypeRegular, Status: subscription.StatusActive, Terms: monthly, Quantity: 1,
		Billing: subscription.BillingChargeAutomatically, PeriodStart: t0, PeriodEnd: t1, CreatedAt: t0})
	renewed = at(1, subscription.PeriodStarted{SubscriptionID: 9, Cycle: 2, Phase: subscription.Phase{Terms: monthly,
		Quantity: 1}, PeriodStart: t1, PeriodEnd: t1.AddDate(0, 1, 0), InvoiceID: 77, Amount: 1000, StartedAt: t1})
	failed = at(2, subscription.PaymentFailed{SubscriptionID: 9, InvoiceID: 77, Failures: 1, Reason: "card_declined",
		NextRetryAt: t1.AddDate(0, 0, 3), FailedAt: t1})
	ended = at(1, subscription.Ended{SubscriptionID: 9, Status: subscription.StatusCanceled, By: subscription.ByCustomer,
		EndedAt: t0.Add(time.Hour)})
	// given is a paid gift whose recipient is told on t1; redeemed, its recipient redeeming it before then.
	given = at(0, subscription.Created{SubscriptionID: 9, CustomerID: 42, AccountID: 1, SiteID: 1,
		Type: subscription.TypeGiftDonor, Status: subscription.StatusActive, Terms: monthly, Quantity: 1,
		Billing: subscription.BillingChargeAutomatically, PeriodStart: t0, PeriodEnd: t1, GiftStart: t1,
		CreatedAt: t0})
	redeemed = at(1, subscription.GiftRedeemed{SubscriptionID: 9, RecipientCustomerID: 43,
		RecipientSubscriptionID: 10, RedeemedAt: t0.Add(time.Hour)})
)

type row struct {
	Kind     sql.NullString `db:"kind"`
	DueAt    sql.NullTime   `db:"due_at"`
	Revision int64          `db:"revision"`
}

func TestDeadlineRows(t *testing.T) {
	t.Parallel()
	due := func(kind subscription.DueKind, when time.Time, revision int64) row {
		return row{Kind: sql.NullString{String: string(kind), Valid: true}, DueAt: sql.NullTime{Time: when, Valid: true},
			Revision: revision}
	}
	cases := []struct {
		name  string
		given []projectiontest.Step
		when  projectiontest.Step
		then  row
	}{
		{"a new subscription renews at the end of its period", nil, created, due(subscription.DueRenew, t1, 0)},
		{"a renewal is charged at once", []projectiontest.Step{created}, renewed, due(subscription.DueCharge, t1, 1)},
		{"a declined charge is retried when dunning says", []projectiontest.Step{created, renewed}, failed,
			due(subscription.DueCharge, t1.AddDate(0, 0, 3), 2)},
		{"an ended subscription waits for nothing", []projectiontest.Step{created}, ended, row{Revision: 1}},
		{"a gift is announced on its day", nil, given, due(subscription.DueGiftNotice, t1, 0)},
		{"a gift redeemed before its day is not announced: it ends with its period", []projectiontest.Step{given},
			redeemed, due(subscription.DueEnd, t1, 1)},
		{"an event older than the row changes nothing", []projectiontest.Step{created, renewed, failed}, renewed,
			due(subscription.DueCharge, t1.AddDate(0, 0, 3), 2)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given the history, when the event is applied twice (a redelivery)
			db := projectiontest.Redelivered(t, tc.given, tc.when)
			// then the row holds the next due item once
			var got row
			if err := db.GetContext(t.Context(), &got, `SELECT kind, due_at, revision FROM billing_deadlines
				WHERE subscription_id = 9`); err != nil {
				t.Fatal(err)
			}
			got.DueAt.Time = got.DueAt.Time.UTC()
			if got != tc.then {
				t.Errorf("row %+v, want %+v", got, tc.then)
			}
		})
	}
}
