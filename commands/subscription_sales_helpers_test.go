package commands_test

import (
	"strconv"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// salesWorld is the subscription commands selling sampleCatalog's plans, paying through the sandbox of an
// invoiceWorld.
type salesWorld struct {
	*invoiceWorld
	subscriptions commands.Subscriptions
	catalog       fakeCatalog
}

func newSalesWorld(t *testing.T) *salesWorld {
	t.Helper()
	w := &salesWorld{invoiceWorld: newInvoiceWorld(t), catalog: sampleCatalog(false)}
	free := w.catalog.plans[4051]
	free.Terms.PlanID, free.Terms.Amount = 4052, 0
	euro := w.catalog.plans[4051]
	euro.Terms.PlanID, euro.Terms.Currency, euro.SendInvoice = 4053, "eur", true
	w.catalog.plans[4052], w.catalog.plans[4053] = free, euro
	w.catalog.policy = commands.AccountPolicy{ImmediateCancellation: true, Dunning: subscription.DefaultDunning}
	names, err := commands.NewStreamNames([]byte("a stream naming secret of 32 bytes or more"))
	if err != nil {
		t.Fatal(err)
	}
	w.subscriptions = commands.Subscriptions{Store: w.store, Invoices: w.invoices, Wallets: w.wallets,
		Gateways: commands.Gateways{"stripe": w.gateway}, Catalog: w.catalog, Names: names,
		Pricer: commands.Pricer{Catalog: w.catalog, Store: w.store},
		IDs:    commands.NewIDAllocator(w.store, commands.IDKindSubscription, commands.IDAllocatorConfig{BlockSize: 10})}
	return w
}

// who is the target of customer id in account 1, site 1.
func who(id int64) commands.Target { return commands.Target{CustomerID: id, AccountID: 1, SiteID: 1} }

// subscribe subscribes the customer to plan with a card of token and returns the subscription.
func (w *salesWorld) subscribe(t *testing.T, customerID, plan int64, token string) subscription.State {
	t.Helper()
	created, err := w.subscriptions.Create(t.Context(), newEnv(), commands.NewSubscription{Target: who(customerID),
		PlanID: plan, Token: token})
	if err != nil {
		t.Fatalf("subscribe customer %d to plan %d: %v", customerID, plan, err)
	}
	return w.read(t, created.SubscriptionID)
}

// read is the subscription as its stream tells it.
func (w *salesWorld) read(t *testing.T, id int64) subscription.State {
	t.Helper()
	s, err := w.subscriptions.Read(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// streamEvents counts the events of a stream.
func (w *salesWorld) streamEvents(t *testing.T, stream string) int {
	t.Helper()
	events, err := w.store.ReadStream(t.Context(), stream, eventstore.Forwards, eventstore.StreamStart(), 1000)
	if err != nil {
		return 0
	}
	return len(events)
}

// subscriptionStream names subscription id's stream.
func subscriptionStream(id int64) string { return "subscription-" + strconv.FormatInt(id, 10) }

// cards is how many cards the sandbox saved.
func (w *salesWorld) cards(t *testing.T) int {
	t.Helper()
	var n int
	if err := w.db.QueryRowContext(t.Context(), `SELECT count(*) FROM payments_sandbox_cards`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// refunds is how many charges the sandbox gave money back of.
func (w *salesWorld) refunds(t *testing.T) int {
	t.Helper()
	var n int
	if err := w.db.QueryRowContext(t.Context(),
		`SELECT count(*) FROM payments_sandbox_charges WHERE refunded > 0`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
