package subscription_test

import (
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/aggtest"
	"github.com/pelcro-oss/pelcro-api/aggregates/pricing"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

var (
	spec = aggtest.For(subscription.Events, subscription.Evolve)
	t0   = time.Date(2026, 1, 31, 9, 0, 0, 0, time.UTC)
	// t1 is the end of the first monthly period started at t0 (Go's calendar months: 31 January + 1 month).
	t1      = time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
	monthly = subscription.Terms{PlanID: 4051, ProductID: 10, Amount: 1000, Currency: "usd", Interval: "month",
		IntervalCount: 1, AutoRenew: true}
	yearly = subscription.Terms{PlanID: 4053, ProductID: 10, Amount: 10000, Currency: "usd", Interval: "year",
		IntervalCount: 1, AutoRenew: true}
	tenOff = &subscription.Coupon{ID: 77, Code: "WELCOME10", PercentOff: pricing.RateFromPercent(10),
		Duration: subscription.DurationOnce}
)

// created is a monthly subscription started at t0, paid by its first invoice 500.
func created() subscription.Created {
	return subscription.Created{SubscriptionID: 1, CustomerID: 42, AccountID: 1, SiteID: 1232,
		Type: subscription.TypeRegular, Status: subscription.StatusActive, Terms: monthly, Quantity: 1,
		Billing: subscription.BillingChargeAutomatically, Payment: subscription.Payment{SourceID: 7, Gateway: "stripe"},
		PeriodStart: t0, PeriodEnd: t1, InvoiceID: 500, PeriodAmount: 1000, CreatedAt: t0}
}

// renewed is the second period started at t1 with its invoice 501 to charge.
func renewed() subscription.PeriodStarted {
	return subscription.PeriodStarted{SubscriptionID: 1, Cycle: 2,
		Phase: subscription.Phase{Terms: monthly, Quantity: 1}, PeriodStart: t1,
		PeriodEnd: time.Date(2026, 4, 3, 9, 0, 0, 0, time.UTC), InvoiceID: 501, Amount: 1000, StartedAt: t1}
}

func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }
