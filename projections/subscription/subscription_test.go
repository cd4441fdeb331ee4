package subscription

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/pricing"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

var (
	t1      = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	t2      = t1.Add(time.Hour)
	monthly = subscription.Terms{PlanID: 4051, ProductID: 10, Amount: 1000, Currency: "usd", Interval: "month",
		IntervalCount: 1, AutoRenew: true}
)

type step = projectiontest.Step

func created(status subscription.Status) step {
	return projectiontest.At(0, applyCreated, subscription.Created{SubscriptionID: 7, CustomerID: 42, AccountID: 1,
		SiteID: 5, Type: subscription.TypeGiftDonor, Status: status, Terms: monthly, Quantity: 1, InvoiceID: 70,
		Billing: subscription.BillingChargeAutomatically, PeriodStart: t1, PeriodEnd: t1.AddDate(0, 1, 0),
		GiftCode: "GIFT-ABCD-EFGH", Gift: subscription.Gift{RecipientEmail: "bo@example.com", RecipientFirstName: "Bo"},
		GiftStart: t1, Metadata: map[string]string{"a": "b"}, CreatedAt: t1})
}

var (
	paid = projectiontest.At(1, fold[subscription.PaymentSucceeded], subscription.PaymentSucceeded{SubscriptionID: 7,
		InvoiceID: 70, Amount: 1000, PaidAt: t2})
	scheduled = projectiontest.At(1, fold[subscription.CancellationScheduled], subscription.CancellationScheduled{
		SubscriptionID: 7, Mode: subscription.CancelAtPeriodEnd, Reason: "moving", CancelAt: t1.AddDate(0, 1, 0), ScheduledAt: t2})
	ended = projectiontest.At(2, fold[subscription.Ended], subscription.Ended{SubscriptionID: 7,
		Status: subscription.StatusCanceled, By: subscription.ByCustomer, EndedAt: t2})
	erased = projectiontest.At(2, applyErased, subscription.Erased{SubscriptionID: 7, ErasedAt: t2})
)

// row is what the read model holds for subscription 7.
type row struct {
	Status    string `db:"status"`
	IsPaid    bool   `db:"is_paid"`
	Canceling bool   `db:"canceling"`
	Reason    string `db:"cancel_reason"`
	Ended     bool   `db:"ended"`
	Recipient string `db:"gift_recipient_email"`
	Code      string `db:"gift_code"`
	Revision  int64  `db:"revision"`
}

func TestSubscriptionRows(t *testing.T) {
	t.Parallel()
	const code = "GIFT-ABCD-EFGH"
	cases := []struct {
		name  string
		given []step
		when  step
		then  row
	}{
		{"an incomplete gift waits for its payment", nil, created(subscription.StatusIncomplete),
			row{Status: "incomplete", Recipient: "bo@example.com", Code: code}},
		{"its payment makes it active and paid", []step{created(subscription.StatusIncomplete)}, paid,
			row{Status: "active", IsPaid: true, Recipient: "bo@example.com", Code: code, Revision: 1}},
		{"a scheduled cancellation shows with its reason", []step{created(subscription.StatusActive)}, scheduled,
			row{Status: "active", IsPaid: true, Canceling: true, Reason: "moving", Recipient: "bo@example.com",
				Code: code, Revision: 1}},
		{"the end", []step{created(subscription.StatusActive), scheduled}, ended,
			row{Status: "canceled", IsPaid: true, Canceling: true, Reason: "moving", Ended: true,
				Recipient: "bo@example.com", Code: code, Revision: 2}},
		{"erasure blanks the recipient", []step{created(subscription.StatusActive), scheduled}, erased,
			row{Status: "active", IsPaid: true, Canceling: true, Reason: "moving", Code: code, Revision: 2}},
		{"an event older than the row changes nothing", []step{created(subscription.StatusActive), scheduled, ended},
			paid, row{Status: "canceled", IsPaid: true, Canceling: true, Reason: "moving", Ended: true,
				Recipient: "bo@example.com", Code: code, Revision: 2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given the history, when the event is applied twice (a redelivery)
			db := projectiontest.Redelivered(t, tc.given, tc.when)
			// then the row reflects it once
			var got row
			if err := db.GetContext(t.Context(), &got, `SELECT status, is_paid, cancel_at IS NOT NULL AS canceling,
				cancel_reason, ended_at IS NOT NULL AS ended, gift_recipient_email, gift_code, revision
				FROM subscriptions WHERE id = 7`); err != nil {
				t.Fatalf("select: %v", err)
			}
			if got != tc.then {
				t.Fatalf("row = %+v, want %+v", got, tc.then)
			}
		})
	}
}

func TestAnEventBeforeItsCreationFails(t *testing.T) {
	t.Parallel()
	db := projectiontest.ReadModels(t)
	tx, err := db.BeginTxx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	if err := paid(t.Context(), tx); err == nil {
		t.Fatal("a payment of a subscription the read model does not have was applied")
	}
}

func TestCreationFillsTheResourceColumns(t *testing.T) {
	t.Parallel()
	// given nothing, when the creation is applied twice (a redelivery)
	db := projectiontest.Redelivered(t, nil, created(subscription.StatusActive))
	// then its one row holds what the Customer resource shows of it, the creation's and the folded state's
	var got struct {
		Owner    string `db:"owner"`
		Plan     int64  `db:"plan_id"`
		Terms    string `db:"terms"`
		Metadata string `db:"metadata"`
		Period   string `db:"period"`
		Times    string `db:"times"`
		Gift     string `db:"gift"`
		Billing  string `db:"billing"`
		Invoice  int64  `db:"latest_invoice"`
	}
	err := db.GetContext(t.Context(), &got, `SELECT concat_ws('/', customer_id, account_id, site_id, type) AS owner,
		plan_id, terms->>'currency' AS terms, metadata::text,
		concat_ws('/', current_period_start = $1, current_period_end = $2) AS period,
		concat_ws('/', created_at = $1, updated_at = $1, gift_start = $1) AS times,
		concat_ws('/', gift_recipient_email, gift_recipient_first_name, state->>'GiftCode') AS gift,
		billing, latest_invoice FROM subscriptions WHERE id = 7`, t1, t1.AddDate(0, 1, 0))
	if err != nil {
		t.Fatalf("select: %v", err)
	}
	if got.Owner != "42/1/5/gift_donor" || got.Plan != 4051 || got.Terms != "usd" || got.Metadata != `{"a": "b"}` ||
		got.Period != "t/t" || got.Times != "t/t/t" || got.Gift != "bo@example.com/Bo/GIFT-ABCD-EFGH" ||
		got.Billing != string(subscription.BillingChargeAutomatically) || got.Invoice != 70 {
		t.Fatalf("row = %+v", got)
	}
}

func TestCouponsShowTheirPercentage(t *testing.T) {
	t.Parallel()
	tenPercent := &subscription.Coupon{ID: 3, Code: "WELCOME10", PercentOff: pricing.RateFromPercent(10),
		Duration: subscription.DurationForever}
	giftOf := &subscription.Coupon{ID: 4, Code: "GIFT", PercentOff: pricing.RateFromPercent(12.5),
		Duration: subscription.DurationOnce}
	withCoupon := projectiontest.At(0, applyCreated, subscription.Created{SubscriptionID: 7, CustomerID: 42,
		AccountID: 1, SiteID: 5, Type: subscription.TypeRegular, Status: subscription.StatusActive, Terms: monthly,
		Quantity: 1, Coupon: tenPercent, PeriodStart: t1, PeriodEnd: t1.AddDate(0, 1, 0), CreatedAt: t1})
	phase := projectiontest.At(1, fold[subscription.PhaseAdded], subscription.PhaseAdded{SubscriptionID: 7,
		Phase: subscription.Phase{Terms: monthly, Quantity: 1, Coupon: giftOf}, AddedAt: t2})
	// given a subscription created with a 10 % coupon, when a phase with a 12.5 % coupon is added (twice)
	db := projectiontest.Redelivered(t, []step{withCoupon}, phase)
	// then the resource shows both coupons' percentages as the catalog gives them
	var got string
	if err := db.GetContext(t.Context(), &got, `SELECT concat_ws('/', coupon->>'code', coupon->>'percent_off',
		phases->0->'coupon'->>'code', phases->0->'coupon'->>'percent_off') FROM subscriptions WHERE id = 7`); err != nil {
		t.Fatal(err)
	}
	if got != "WELCOME10/10/GIFT/12.5" {
		t.Errorf("coupons = %s, want WELCOME10/10/GIFT/12.5", got)
	}
}

// TestTheResourcesCouponShowsEveryFieldOfTheAggregates: a field added to subscription.Coupon must be added to
// the resource's coupon too (or this test told why not), or it would go missing from the answers silently.
func TestTheResourcesCouponShowsEveryFieldOfTheAggregates(t *testing.T) {
	t.Parallel()
	full := subscription.Coupon{ID: 1, Code: "C", PercentOff: 1, AmountOff: 1, Duration: "d", DurationInMonths: 1}
	keys := func(v any) []string {
		var m map[string]any
		encoded, err := json.Marshal(v)
		if err != nil || json.Unmarshal(encoded, &m) != nil {
			t.Fatalf("encode %T: %v", v, err)
		}
		return slices.Sorted(maps.Keys(m))
	}
	if got, want := keys(couponOf(&full)), keys(full); !slices.Equal(got, want) {
		t.Errorf("the resource's coupon has %v, the aggregate's %v", got, want)
	}
	if reflect.TypeFor[coupon]().NumField() != reflect.TypeFor[subscription.Coupon]().NumField() {
		t.Error("the resource's coupon and the aggregate's have different fields")
	}
}
