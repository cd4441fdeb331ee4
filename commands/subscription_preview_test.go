package commands_test

import (
	"errors"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/pricing"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// previewNow is halfway through the subscriptions' November period.
var previewNow = time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)

// givenSubscription writes a monthly subscription of customerID's (1 November to 1 December, billed
// 2000 a period for planID, quantity 1) with credit owed to the customer, and returns its id.
func givenSubscription(t *testing.T, w *customerWorld, id, customerID, planID, credit int64) int64 {
	t.Helper()
	terms := subscription.Terms{PlanID: planID, ProductID: 10, Amount: 2000, Currency: "usd", Interval: "month",
		IntervalCount: 1, AutoRenew: true}
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	events := []subscription.Event{subscription.Created{SubscriptionID: id, CustomerID: customerID, AccountID: 1,
		SiteID: 1, Type: subscription.TypeRegular, Status: subscription.StatusActive, Terms: terms, Quantity: 1,
		Billing: subscription.BillingChargeAutomatically, PeriodStart: start, PeriodEnd: start.AddDate(0, 1, 0),
		PeriodAmount: 2000, CreatedAt: start}}
	if credit > 0 {
		events = append(events, subscription.PlanChanged{SubscriptionID: id, Terms: terms, Quantity: 1,
			PeriodStart: start, PeriodEnd: start.AddDate(0, 1, 0), PeriodAmount: 2000, Credited: credit, ChangedAt: start})
	}
	_, err := commands.Handle(t.Context(), w.store, commands.SubscriptionAggregate, strconv.FormatInt(id, 10), newEnv(),
		func(subscription.State) ([]subscription.Event, error) { return events, nil })
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestPreviewingAPlanAndTheChangeOfASubscription(t *testing.T) {
	t.Parallel()
	// given a customer with two subscriptions (one on plan 4051 itself, one owed 300 of credit) and another
	// customer's subscription
	w := newCustomerWorld(t)
	ann := w.register(t, "ann@example.com", "ann")
	bob := w.register(t, "bob@example.com", "bob")
	samePlan := givenSubscription(t, w, 901, ann, 4051, 0)
	upgraded := givenSubscription(t, w, 902, ann, 4070, 300)
	bobs := givenSubscription(t, w, 903, bob, 4070, 0)
	previews := commands.PricePreviews{Pricer: commands.Pricer{Catalog: sampleCatalog(false), Store: w.store},
		Store: w.store, Now: func() time.Time { return previewNow }}

	cases := []struct {
		name         string
		subscription int64
		coupon       string
		wantQuote    pricing.Quote
		wantProrated *pricing.Proration
		refusal      error
	}{
		{"a plan alone", 0, "", pricing.Quote{Subtotal: 1000, Total: 1000, AmountDue: 1000, Taxes: []pricing.Tax{}}, nil, nil},
		{"with a coupon", 0, "WELCOME10",
			pricing.Quote{Subtotal: 1000, Discount: 100, Total: 900, AmountDue: 900, Taxes: []pricing.Tax{}}, nil, nil},
		// half the period left: the unused half of 2000 is credited, half of the new 1000 charged
		{"the change of a subscription owed credit", upgraded, "",
			pricing.Quote{Subtotal: 1000, Total: 1000, Balance: 300, AmountDue: 700, Taxes: []pricing.Tax{}},
			&pricing.Proration{Credit: 1000, Charge: 500}, nil},
		{"a subscription already on the plan has nothing to prorate", samePlan, "",
			pricing.Quote{Subtotal: 1000, Total: 1000, AmountDue: 1000, Taxes: []pricing.Tax{}}, nil, nil},
		{"another customer's subscription", bobs, "", pricing.Quote{}, nil, subscription.ErrNotFound},
		{"an unknown subscription", 999, "", pricing.Quote{}, nil, subscription.ErrNotFound},
		{"an unknown coupon", upgraded, "NOPE", pricing.Quote{}, nil, commands.ErrCouponNotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// when ann previews plan 4051
			preview, err := previews.Preview(t.Context(), commands.PreviewRequest{
				Target: commands.Target{CustomerID: ann, AccountID: 1, SiteID: 1}, PlanID: 4051,
				CouponCode: c.coupon, SubscriptionID: c.subscription})
			// then she sees the price, the credit used and the proration, or the refusal
			if !errors.Is(err, c.refusal) {
				t.Fatalf("Preview() error = %v, want %v", err, c.refusal)
			}
			if err != nil {
				return
			}
			if got := preview.Sale.Quote; !reflect.DeepEqual(got, c.wantQuote) {
				t.Errorf("quote = %+v, want %+v", got, c.wantQuote)
			}
			if (preview.Proration == nil) != (c.wantProrated == nil) ||
				(preview.Proration != nil && *preview.Proration != *c.wantProrated) {
				t.Errorf("proration = %+v, want %+v", preview.Proration, c.wantProrated)
			}
		})
	}
}
