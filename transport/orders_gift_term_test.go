package transport

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
)

// TestOrderPreviewDuringAGiftsTermPricesTheSubscriptionsOwnTerms: while a gift's term runs on a subscription
// (two of a yearly plan at another address), a change is refused; the preview of a change prices what the
// change would be once the gift's terms end, on the subscription's own quantity and address, and shows no
// proration.
func TestOrderPreviewDuringAGiftsTermPricesTheSubscriptionsOwnTerms(t *testing.T) {
	t.Parallel()
	// given ann's subscription of one at her New York address, in the term of a gift of two sent to Quebec
	deps, w := customerStack(t)
	deps.PricePreviews = commands.PricePreviews{Pricer: commands.Pricer{Catalog: orderCatalog{}, Store: w.store},
		Store: w.store, Now: func() time.Time { return orderNow }}
	w.router = newTestRouter(t, deps)
	ann, annID := w.register(t, "ann@gift-orders.example.com", customerPassword)
	newYork := addOrderAddress(t, w, ann, `{"line1":"1 Main St","country":"US","state":"NY","is_default":true}`)
	quebec := addOrderAddress(t, w, ann, `{"line1":"2 Rue Ste","country":"CA","state":"QC"}`)
	id := givenSubscriptionInAGiftsTerm(t, w, 8201, annID, newYork, quebec)
	checker := documentChecker(t)
	paid := catalogtest.PaidPlanID
	cases := []struct {
		name, body string
		want       orderPreview
	}{
		{"at the subscription's own address", fmt.Sprintf(`{"plan_id":%d,"subscription_id":%d}`, paid, id),
			orderPreview{Currency: "usd", Subtotal: 500, Taxes: []orderTax{{"Federal", "US", "", 2, 10, false},
				{"NY sales tax", "US", "NY", 8.875, 44, false}}, Tax: 54, Total: 554, AmountDue: 554}},
		{"at the address asked for", fmt.Sprintf(`{"plan_id":%d,"subscription_id":%d,"address_id":%d}`, paid, id, quebec),
			orderPreview{Currency: "usd", Subtotal: 500, Taxes: []orderTax{{"GST+QST", "CA", "QC", 14.975, 65, true}},
				Tax: 65, Total: 500, AmountDue: 500}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// when ann asks for the price of changing it
			req := w.request(http.MethodPost, fmt.Sprintf("/order?site_id=%d", customerSite), ann, tt.body)
			rec := serve(w.router, req)
			checker.CheckResponse(t, req, rec)
			// then it is one of the plan at the subscription's own quantity, with no proration
			body := decodeBody[struct {
				Data orderPreview `json:"data"`
			}](t, rec)
			got := body.Data
			if rec.Code != http.StatusOK || got.Proration != nil {
				t.Fatalf("POST /order = %d %s, want 200 without proration", rec.Code, rec.Body)
			}
			got.Plan = tt.want.Plan
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Fatalf("answer %s\nwant data %+v", rec.Body, tt.want)
			}
		})
	}
}

// givenSubscriptionInAGiftsTerm writes the customer's yearly subscription id of one at address own, whose
// gift's term of two at address giftAddress started on 1 July 2026 (before orderNow), and returns its id.
func givenSubscriptionInAGiftsTerm(t *testing.T, w *customerWorld, id, customerID, own, giftAddress int64) int64 {
	t.Helper()
	start, giftStart := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	terms := subscription.Terms{PlanID: 4090, ProductID: catalogtest.ProductID, Amount: 1000, Currency: "usd",
		Interval: "year", IntervalCount: 1, AutoRenew: true}
	coupon := subscription.GiftCoupon
	gift := subscription.Phase{Terms: terms, Quantity: 2, Coupon: &coupon, AddressID: giftAddress, Gift: true, GiftOf: id + 1}
	events := []subscription.Event{
		subscription.Created{SubscriptionID: id, CustomerID: customerID, AccountID: 1, SiteID: customerSite,
			Type: subscription.TypeRegular, Status: subscription.StatusActive, Quantity: 1, Terms: terms, AddressID: own,
			Billing: subscription.BillingChargeAutomatically, PeriodStart: start, PeriodEnd: giftStart,
			PeriodAmount: 1000, CreatedAt: start},
		subscription.PhaseAdded{SubscriptionID: id, Phase: gift, AddedAt: start},
		subscription.PeriodStarted{SubscriptionID: id, Cycle: 2, Phase: gift, FromPhase: true, PeriodStart: giftStart,
			PeriodEnd: giftStart.AddDate(1, 0, 0), StartedAt: giftStart},
	}
	_, err := commands.Handle(t.Context(), w.store, commands.SubscriptionAggregate, strconv.FormatInt(id, 10),
		commands.Envelope{CommandID: fmt.Sprint("subscription-", id)},
		func(subscription.State) ([]subscription.Event, error) { return events, nil })
	if err != nil {
		t.Fatal(err)
	}
	return id
}
