package commands_test

import (
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// billingWorld is the billing clock's commands over the invoice world (sandbox gateway with faults, a store
// that can refuse an event), renewals priced by the sample catalog, subscriptions created straight through
// the aggregate (no invoice for their first period: the clock bills the later ones).
type billingWorld struct {
	*invoiceWorld
	subscriptions commands.Subscriptions
	catalog       fakeCatalog
	mu            sync.Mutex
	nextID        int64
}

// billingStart is when the test subscriptions start.
var billingStart = time.Date(2026, 1, 31, 9, 0, 0, 0, time.UTC)

func newBillingWorld(t *testing.T) *billingWorld {
	t.Helper()
	return billingWorldOf(newInvoiceWorld(t))
}

// restarted is the billing world over w's database in a process of its own (a crash of w's: nothing
// cached, nothing in flight), its subscription ids going on from w's.
func (w *billingWorld) restarted(t *testing.T) *billingWorld {
	t.Helper()
	again := billingWorldOf(invoiceWorldOn(t, w.url, w.db))
	again.nextID = w.nextID
	return again
}

// billingWorldOf is the billing clock's commands over the invoice world.
func billingWorldOf(invoices *invoiceWorld) *billingWorld {
	w := &billingWorld{invoiceWorld: invoices, catalog: sampleCatalog(false)}
	w.catalog.policy.Dunning = subscription.DefaultDunning
	w.subscriptions = commands.Subscriptions{Store: w.store, Invoices: w.invoices, Wallets: w.wallets,
		Pricer: commands.Pricer{Catalog: w.catalog, Store: w.store}, Catalog: w.catalog,
		Gateways: commands.Gateways{"stripe": w.gateway}, Names: testNames}
	return w
}

// subscribe creates a subscription of the customer to terms from start, charged to card (0: none), with
// its first period settled, and returns its id.
func (w *billingWorld) subscribe(t testing.TB, customerID, card int64, terms subscription.Terms, start time.Time) int64 {
	t.Helper()
	id := w.newID()
	_, err := commands.Handle(t.Context(), w.store, commands.SubscriptionAggregate, strconv.FormatInt(id, 10),
		commands.Envelope{CommandID: uuid.NewString(), SiteID: "1"},
		func(s subscription.State) ([]subscription.Event, error) {
			return subscription.Create(s, subscription.New{SubscriptionID: id, CustomerID: customerID, AccountID: 1,
				SiteID: 1, Terms: terms, Quantity: 1, Billing: subscription.BillingChargeAutomatically,
				Payment: subscription.Payment{SourceID: card, Gateway: "stripe"}, PeriodAmount: terms.Amount, Paid: true}, start)
		})
	if err != nil {
		t.Fatalf("create subscription %d: %v", id, err)
	}
	return id
}

// newID is a subscription id nobody used in the world.
func (w *billingWorld) newID() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.nextID++
	return w.nextID
}

// decide appends what decide says to subscription id (a customer's own command, e.g. a cancellation).
func (w *billingWorld) decide(t testing.TB, id int64, decide func(subscription.State) ([]subscription.Event, error)) {
	t.Helper()
	_, err := commands.Handle(t.Context(), w.store, commands.SubscriptionAggregate, strconv.FormatInt(id, 10),
		commands.Envelope{CommandID: uuid.NewString(), SiteID: "1"}, decide)
	if err != nil {
		t.Fatalf("subscription %d: %v", id, err)
	}
}

// bill runs the billing clock for the subscription until the instant and returns the items it reported.
func (w *billingWorld) bill(t testing.TB, id int64, until time.Time) ([]commands.BillingAction, error) {
	t.Helper()
	var done []commands.BillingAction
	_, err := w.subscriptions.BillDue(t.Context(), id, until, func(a commands.BillingAction) { done = append(done, a) })
	return done, err
}

// cutOff runs the clock for subscription id's first renewal with one fault armed (the store refusing the
// append holding an event of type refuse, or losing the answer to the one holding loseAnswer; the gateway
// playing fault) and fails the test unless the run fails.
func (w *billingWorld) cutOff(t testing.TB, id int64, refuse, loseAnswer string, fault int32) {
	t.Helper()
	if refuse != "" {
		w.store.refuse.Store(&refuse)
	}
	if loseAnswer != "" {
		w.store.loseAnswer.Store(&loseAnswer)
	}
	w.gateway.next.Store(fault)
	if _, err := w.bill(t, id, firstRenewal); err == nil {
		t.Fatal("the cut-off run succeeded")
	}
}

// read is the subscription as its stream tells it.
func (w *billingWorld) read(t testing.TB, id int64) subscription.State {
	t.Helper()
	s, err := w.subscriptions.Read(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// monthlyTerms is plan 4051 of the sample catalog (1000 usd a month, renewing).
var monthlyTerms = subscription.Terms{PlanID: 4051, ProductID: 10, Amount: 1000, Currency: "usd", Interval: "month",
	IntervalCount: 1, AutoRenew: true}

// outcomes lists the kinds and outcomes of items, "renew:renewed".
func outcomes(actions []commands.BillingAction) []string {
	out := make([]string, len(actions))
	for i, a := range actions {
		out[i] = string(a.Kind) + ":" + a.Outcome
	}
	return out
}

// opened is how the invoice was opened (its first event).
func (w *invoiceWorld) opened(t testing.TB, id int64) invoice.Created {
	t.Helper()
	events, err := w.store.ReadStream(t.Context(), "invoice-"+strconv.FormatInt(id, 10), eventstore.Forwards,
		eventstore.StreamStart(), 1)
	if err != nil {
		t.Fatalf("read invoice %d: %v", id, err)
	}
	e, err := invoice.Events.Decode(events[0].Type, 1, events[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	return e.(invoice.Created)
}
