package commands_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/order"
	"github.com/pelcro-oss/pelcro-api/aggregates/stock"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
	"github.com/pelcro-oss/pelcro-api/internal/payments/sandbox"
)

// orderCatalog is the sample catalog (taxes in Quebec when enabled, coupon WELCOME10 limited to a plan)
// with e-commerce SKUs of site 1 and an amount-off coupon TOTE5 (5.00 usd). Every site sells but those
// closed lists.
type orderCatalog struct {
	fakeCatalog
	skus   map[int64]commands.SaleSKU
	closed map[int64]bool
}

func (c orderCatalog) SellsProducts(_ context.Context, siteID int64) (bool, error) {
	return !c.closed[siteID], nil
}

func (c orderCatalog) SKU(_ context.Context, siteID, skuID int64) (commands.SaleSKU, error) {
	if sku, ok := c.skus[skuID]; ok && sku.SiteID == siteID {
		return sku, nil
	}
	return commands.SaleSKU{}, commands.ErrSKUNotFound
}

// The world's SKUs: a tote bag (2500 usd, 40 in stock, shippable to Canada), a digital issue (1500 usd,
// unlimited), a mug in euros, the hot SKU of the concurrency tests (1000 usd, 40 in stock), a poster and a frame.
var (
	tote = commands.SaleSKU{ID: 9001, ProductID: 301, SiteID: 1, Name: "Tote bag", Price: 2500, Currency: "usd",
		Stock: stock.Level{Inventory: 40}, Shippable: true, Countries: []string{"CA"}}
	issue = commands.SaleSKU{ID: 9101, ProductID: 302, SiteID: 1, Name: "2025 issues", Price: 1500, Currency: "usd",
		Stock: stock.Level{Unlimited: true}}
	mug = commands.SaleSKU{ID: 9201, ProductID: 303, SiteID: 1, Name: "Mug", Price: 1800, Currency: "eur",
		Stock: stock.Level{Inventory: 5}}
	hotSKU = commands.SaleSKU{ID: 9301, ProductID: 304, SiteID: 1, Name: "Signed print", Price: 1000,
		Currency: "usd", Stock: stock.Level{Inventory: 40}}
	// poster and frame (10 units each) are bought together by the tests of orders listing them in either order.
	poster = commands.SaleSKU{ID: 9401, ProductID: 305, SiteID: 1, Name: "Poster", Price: 700, Currency: "usd",
		Stock: stock.Level{Inventory: 10}}
	frame = commands.SaleSKU{ID: 9402, ProductID: 305, SiteID: 1, Name: "Frame", Price: 900, Currency: "usd",
		Stock: stock.Level{Inventory: 10}}
	toteOff = commands.SaleCoupon{Coupon: subscription.Coupon{ID: 78, Code: "TOTE5", AmountOff: 500,
		Duration: subscription.DurationOnce}, Currency: "usd"}
)

// orderWorld is the order commands over a store of the test's choice, paying through the sandbox gateway
// whose charges live in db, with a clock the test moves.
type orderWorld struct {
	*customerWorld
	orders   commands.Orders
	invoices commands.Invoices
	intents  commands.Intents
	sandbox  *sandbox.Gateway
	faults   *faultyCharges // the sandbox, whose next charge can be made to fail
	db       *sql.DB
	clock    time.Time
}

func newOrderWorld(t *testing.T, store eventstore.Store, db *sql.DB, taxes bool) *orderWorld {
	t.Helper()
	w := &orderWorld{customerWorld: newCustomerWorldOn(t, store), db: db,
		clock: time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)}
	w.sandbox = sandbox.New(db)
	w.faults = &faultyCharges{Gateway: w.sandbox}
	gateways := commands.Gateways{"stripe": w.faults}
	w.intents = commands.Intents{Store: store, Gateways: gateways}
	w.invoices = commands.Invoices{Store: store, Gateways: gateways, Intents: w.intents,
		IDs: commands.NewIDAllocator(store, commands.IDKindInvoice, commands.IDAllocatorConfig{BlockSize: 10})}
	w.intents.Owners = map[payments.IntentKind]commands.IntentOwner{payments.PaymentIntent: w.invoices.CompleteIntent}
	w.invoices.Intents = w.intents
	catalog := orderCatalog{fakeCatalog: sampleCatalog(taxes), skus: map[int64]commands.SaleSKU{}}
	catalog.coupons["TOTE5"] = toteOff
	for _, sku := range []commands.SaleSKU{tote, issue, mug, hotSKU, poster, frame} {
		catalog.skus[sku.ID] = sku
	}
	w.orders = commands.Orders{Store: store, Invoices: w.invoices, Catalog: catalog, Names: testNames,
		IDs:    commands.NewIDAllocator(store, commands.IDKindOrder, commands.IDAllocatorConfig{BlockSize: 10}),
		Pricer: commands.Pricer{Catalog: catalog, Store: store}, Now: func() time.Time { return w.clock }}
	return w
}

// buyer registers a customer and returns who they are.
func (w *orderWorld) buyer(t *testing.T, email string) commands.Target {
	t.Helper()
	return who(w.register(t, email, ""))
}

// charges is how many charges the sandbox took money for: a charge waiting for 3-D Secure took none yet.
func (w *orderWorld) charges(t *testing.T) int {
	t.Helper()
	var n int
	if err := w.db.QueryRowContext(t.Context(), `SELECT count(*) FROM payments_sandbox_charges c
		LEFT JOIN payments_sandbox_intents i ON i.id = c.intent WHERE i.id IS NULL OR i.status = 'succeeded'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// left is how many units of the SKU are left to sell, as its stock stream tells it.
func (w *orderWorld) left(t *testing.T, sku commands.SaleSKU) int64 {
	t.Helper()
	s, err := w.orders.ReadStock(t.Context(), sku.ID)
	if err != nil {
		t.Fatal(err)
	}
	return s.Available(sku.Stock.Inventory)
}

// order is the order of that id as its stream tells it.
func (w *orderWorld) order(t *testing.T, id int64) order.State {
	t.Helper()
	o, err := w.orders.Read(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// onlyOrder is the world's first order (a fresh world's order ids start at 1), which must be the buyer's.
func (w *orderWorld) onlyOrder(t *testing.T, buyer commands.Target) order.State {
	t.Helper()
	o := w.order(t, 1)
	if !o.BelongsTo(buyer.CustomerID, buyer.AccountID) {
		t.Fatalf("order 1 is not customer %d's: %+v", buyer.CustomerID, o)
	}
	return o
}

// confirm has the customer complete the 3-D Secure intent, and the gateway tell so.
func (w *orderWorld) confirm(t *testing.T, intent string) {
	t.Helper()
	if _, err := w.sandbox.Confirm(t.Context(), intent); err != nil {
		t.Fatal(err)
	}
	if _, err := w.intents.Confirm(t.Context(), newEnv(), intent); err != nil {
		t.Fatal(err)
	}
}

// invoiceStatus is where the invoice stands.
func (w *orderWorld) invoiceStatus(t *testing.T, id int64) invoice.Status {
	t.Helper()
	s, err := w.invoices.Read(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return s.Status
}

// cart is one order of the items, paid with tok_visa.
func cart(buyer commands.Target, items ...commands.CartItem) commands.NewOrder {
	return commands.NewOrder{Cart: commands.Cart{Target: buyer, Items: items}, Token: "tok_visa"}
}
