package commands_test

import (
	"sync"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// subscriptionWorld is the subscription commands over the invoice world (sandbox gateway, real store), the
// sample catalog with a premium, a yearly and a euro plan, and a clock the test moves.
type subscriptionWorld struct {
	*invoiceWorld
	subs  commands.Subscriptions
	mu    sync.Mutex
	clock time.Time
}

var (
	premium = subscription.Terms{PlanID: 4054, ProductID: 10, Amount: 3000, Currency: "usd", Interval: "month",
		IntervalCount: 1, AutoRenew: true}
	yearly = subscription.Terms{PlanID: 4053, ProductID: 10, Amount: 10000, Currency: "usd", Interval: "year",
		IntervalCount: 1, AutoRenew: true}
	inEuros = subscription.Terms{PlanID: 4070, ProductID: 11, Amount: 900, Currency: "eur", Interval: "month",
		IntervalCount: 1, AutoRenew: true}
	// subscribedAt is when the world's subscriptions start; halfWay is half their first (monthly) period.
	subscribedAt = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	halfWay      = time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)
)

func newSubscriptionWorld(t *testing.T) *subscriptionWorld {
	t.Helper()
	w := &subscriptionWorld{invoiceWorld: newInvoiceWorld(t), clock: subscribedAt}
	catalog := sampleCatalog(false)
	for _, terms := range []subscription.Terms{premium, yearly, inEuros} {
		catalog.plans[terms.PlanID] = commands.SalePlan{Terms: terms, SiteID: 1, AccountID: 1, Active: true}
	}
	gateways := commands.Gateways{"stripe": w.gateway}
	w.subs = commands.Subscriptions{Store: w.store, Invoices: w.invoices, Wallets: w.wallets, Catalog: catalog,
		IDs:      commands.NewIDAllocator(w.store, commands.IDKindSubscription, commands.IDAllocatorConfig{BlockSize: 10}),
		Pricer:   commands.Pricer{Catalog: catalog, Store: w.store},
		Gateways: gateways, Names: testNames, Now: w.now}
	return w
}

func (w *subscriptionWorld) now() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.clock
}

func (w *subscriptionWorld) at(t time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.clock = t
}

// subscribe records a paid monthly subscription of plan 4051 for the customer, charged to the card source
// (0: none), started at the world's time, and returns its id; n adjusts it (a gift, another plan).
func (w *subscriptionWorld) subscribe(t *testing.T, customerID, source int64, n func(*subscription.New)) int64 {
	t.Helper()
	id, err := w.subs.IDs.Next(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	monthly, _ := w.subs.Catalog.Plan(t.Context(), 1, 4051)
	c := subscription.New{SubscriptionID: id, CustomerID: customerID, AccountID: 1, SiteID: 1, Terms: monthly.Terms,
		Quantity: 1, PeriodAmount: monthly.Terms.Amount, Paid: true}
	if source != 0 {
		c.Payment = subscription.Payment{SourceID: source, Gateway: "stripe"}
	}
	if n != nil {
		n(&c)
	}
	if _, err := w.subs.SeedSubscription(t.Context(), newEnv(), c); err != nil {
		t.Fatalf("seed subscription: %v", err)
	}
	return id
}

// subscription is the subscription as its stream tells it.
func (w *subscriptionWorld) subscription(t *testing.T, id int64) subscription.State {
	t.Helper()
	s, err := w.subs.Read(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
