package commands_test

import (
	"errors"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/pricing"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// previewNow is halfway through the subscriptions' November period.
var previewNow = time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)

// previewed is a subscription givenSubscription writes: its id, plan, what its period was billed, the
// credit owed to the customer and its address (0: none).
type previewed struct {
	id, plan, billed, credit, address int64
}

// givenSubscription writes a monthly subscription of customerID's (1 November to 1 December, quantity 1)
// as p describes it, and returns its id.
func givenSubscription(t *testing.T, w *customerWorld, customerID int64, p previewed) int64 {
	t.Helper()
	id := p.id
	terms := subscription.Terms{PlanID: p.plan, ProductID: 10, Amount: p.billed, Currency: "usd", Interval: "month",
		IntervalCount: 1, AutoRenew: true}
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	events := []subscription.Event{subscription.Created{SubscriptionID: id, CustomerID: customerID, AccountID: 1,
		SiteID: 1, Type: subscription.TypeRegular, Status: subscription.StatusActive, Terms: terms, Quantity: 1,
		AddressID: p.address, Billing: subscription.BillingChargeAutomatically, PeriodStart: start,
		PeriodEnd: start.AddDate(0, 1, 0), PeriodAmount: p.billed, CreatedAt: start}}
	if p.credit > 0 {
		events = append(events, subscription.PlanChanged{SubscriptionID: id, Terms: terms, Quantity: 1,
			AddressID: p.address, PeriodStart: start, PeriodEnd: start.AddDate(0, 1, 0), PeriodAmount: p.billed,
			Credited: p.credit, ChangedAt: start})
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
	_, shipping, err := w.customers.AddAddress(t.Context(), newEnv(), commands.NewAddress{
		Target:  commands.Target{CustomerID: ann, AccountID: 1, SiteID: 1},
		Address: customer.Address{Type: customer.AddressShipping, Line1: "1 Main St", Country: "US", State: "NY"}})
	if err != nil {
		t.Fatal(err)
	}
	samePlan := givenSubscription(t, w, ann, previewed{id: 901, plan: 4051, billed: 2000})
	downgraded := givenSubscription(t, w, ann, previewed{id: 902, plan: 4070, billed: 2000, credit: 300})
	bobs := givenSubscription(t, w, bob, previewed{id: 903, plan: 4070, billed: 2000})
	upgraded := givenSubscription(t, w, ann, previewed{id: 904, plan: 4070, billed: 400, credit: 100,
		address: shipping})
	previews := commands.PricePreviews{Pricer: commands.Pricer{Catalog: sampleCatalog(false), Store: w.store},
		Store: w.store, Now: func() time.Time { return previewNow }}

	cases := []struct {
		name         string
		subscription int64
		coupon       string
		wantQuote    pricing.Quote
		wantProrated *pricing.Proration
		wantBill     *subscription.ChangeBill
		wantAddress  int64
		refusal      error
	}{
		{name: "a plan alone", wantQuote: pricing.Quote{Subtotal: 1000, Total: 1000, AmountDue: 1000,
			Taxes: []pricing.Tax{}}},
		{name: "with a coupon", coupon: "WELCOME10", wantQuote: pricing.Quote{Subtotal: 1000, Discount: 100,
			Total: 900, AmountDue: 900, Taxes: []pricing.Tax{}}},
		// half the period left: the unused half of 2000 is credited, half of the new 1000 charged
		{name: "the downgrade of a subscription owed credit", subscription: downgraded,
			wantQuote:    pricing.Quote{Subtotal: 1000, Total: 1000, Balance: 300, AmountDue: 700, Taxes: []pricing.Tax{}},
			wantProrated: &pricing.Proration{Credit: 1000, Charge: 500}, wantBill: &subscription.ChangeBill{Net: -500}},
		// half of 400 back, half of 1000 charged: a net of 300, of which the credit pays 100; priced at the
		// subscription's address, as the change would be
		{name: "the upgrade of a subscription owed credit", subscription: upgraded,
			wantQuote:    pricing.Quote{Subtotal: 1000, Total: 1000, Balance: 100, AmountDue: 900, Taxes: []pricing.Tax{}},
			wantProrated: &pricing.Proration{Credit: 200, Charge: 500},
			wantBill:     &subscription.ChangeBill{Net: 300, CreditUsed: 100, Due: 200}, wantAddress: shipping},
		{name: "a subscription already on the plan has nothing to prorate", subscription: samePlan,
			wantQuote: pricing.Quote{Subtotal: 1000, Total: 1000, AmountDue: 1000, Taxes: []pricing.Tax{}}},
		{name: "another customer's subscription", subscription: bobs, refusal: subscription.ErrNotFound},
		{name: "an unknown subscription", subscription: 999, refusal: subscription.ErrNotFound},
		{name: "an unknown coupon", subscription: downgraded, coupon: "NOPE", refusal: commands.ErrCouponNotFound},
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
			if !reflect.DeepEqual(preview.Change, c.wantBill) || preview.Sale.AddressID != c.wantAddress {
				t.Errorf("bill = %+v at address %d, want %+v at %d", preview.Change, preview.Sale.AddressID,
					c.wantBill, c.wantAddress)
			}
		})
	}
}
