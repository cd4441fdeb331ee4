package transport

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
)

// TestAChangeWithoutQuantityKeepsTheSubscriptionsQuantity: a change that names no quantity keeps the
// subscription's own, the quantity the price preview of the change prices at: a subscription of three
// changed to another plan is still three, and credited what the preview said.
func TestAChangeWithoutQuantityKeepsTheSubscriptionsQuantity(t *testing.T) {
	t.Parallel()
	// given ann's yearly subscription of three at her New York address, half way through its year
	deps, w := customerStack(t)
	pricer := commands.Pricer{Catalog: orderCatalog{}, Store: w.store}
	now := func() time.Time { return orderNow }
	deps.PricePreviews = commands.PricePreviews{Pricer: pricer, Store: w.store, Now: now}
	changes := commands.Subscriptions{Store: w.store, Pricer: pricer, Now: now}
	deps.SubscriptionChanges = changes
	caughtUp := func(context.Context, commands.Written) error { return nil }
	deps.WaitForSubscriptions, deps.WaitForInvoices, deps.WaitForWallet = caughtUp, caughtUp, caughtUp
	w.router = newTestRouter(t, deps)
	ann, annID := w.register(t, "ann@change-quantity.example.com", customerPassword)
	newYork := addOrderAddress(t, w, ann, `{"line1":"1 Main St","country":"US","state":"NY","is_default":true}`)
	id := givenSubscriptionOfThree(t, w, 8301, annID, newYork)
	body := fmt.Sprintf(`{"plan_id":%d,"subscription_id":%d}`, catalogtest.PaidPlanID, id)

	// when ann previews the change of its plan, then changes it, neither naming a quantity
	previewed := serve(w.router, w.request(http.MethodPost, fmt.Sprintf("/order?site_id=%d", customerSite), ann, body))
	preview := decodeBody[orderBody](t, previewed).Data
	if previewed.Code != http.StatusOK || preview.Proration == nil {
		t.Fatalf("POST /order = %d %s, want the change's price", previewed.Code, previewed.Body)
	}
	changed := w.call(http.MethodPost, fmt.Sprintf("/subscription/change?site_id=%d", customerSite), ann, body)
	if changed.Code != http.StatusOK {
		t.Fatalf("POST /subscription/change = %d %s", changed.Code, changed.Body)
	}

	// then the subscription is still of three, on the plan at the price previewed, credited the proration
	// the preview showed (a downgrade: nothing charged)
	s, err := changes.Read(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if s.Quantity != 3 || s.Terms.PlanID != catalogtest.PaidPlanID || s.PeriodAmount != preview.Total {
		t.Errorf("quantity %d plan %d period amount %d, want 3 of plan %d at %d as previewed", s.Quantity,
			s.Terms.PlanID, s.PeriodAmount, catalogtest.PaidPlanID, preview.Total)
	}
	if p := preview.Proration; p.Net >= 0 || s.Credit != -p.Net || p.AmountDue != 0 {
		t.Errorf("credit %d after the change, want the previewed proration %+v credited", s.Credit, *p)
	}
}

// givenSubscriptionOfThree writes the customer's yearly subscription id of three to plan 4090 at address,
// billed 3000 for the year from 1 January 2026, and returns its id.
func givenSubscriptionOfThree(t *testing.T, w *customerWorld, id, customerID, address int64) int64 {
	t.Helper()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	created := subscription.Created{SubscriptionID: id, CustomerID: customerID, AccountID: 1, SiteID: customerSite,
		Type: subscription.TypeRegular, Status: subscription.StatusActive, Quantity: 3, AddressID: address,
		Terms: subscription.Terms{PlanID: 4090, ProductID: catalogtest.ProductID, Amount: 1000, Currency: "usd",
			Interval: "year", IntervalCount: 1, AutoRenew: true},
		Billing: subscription.BillingChargeAutomatically, PeriodStart: start, PeriodEnd: start.AddDate(1, 0, 0),
		PeriodAmount: 3000, CreatedAt: start}
	_, err := commands.Handle(t.Context(), w.store, commands.SubscriptionAggregate, strconv.FormatInt(id, 10),
		commands.Envelope{CommandID: fmt.Sprint("subscription-", id)},
		func(subscription.State) ([]subscription.Event, error) { return []subscription.Event{created}, nil })
	if err != nil {
		t.Fatal(err)
	}
	return id
}
