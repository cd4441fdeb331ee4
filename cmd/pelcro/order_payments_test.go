package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments/sandbox"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// The example catalog's shop: site 1233 sells the red tote bag, 40 units, shippable to Canada.
const (
	shopSite = int64(1233)
	redTote  = int64(9002)
)

// orderWorld is the example catalog's database with a customer of the shop, an address in Canada, and the
// order commands as pelcro serve wires them, the sandbox gateway paying.
type orderWorld struct {
	*eraseWorld
	orders  commands.Orders
	buyer   commands.Target
	address int64
}

func newOrderWorld(t *testing.T) *orderWorld {
	t.Helper()
	w := &orderWorld{eraseWorld: newEraseWorld(t)}
	w.buyer = commands.Target{CustomerID: w.registerAnn(shopSite), AccountID: 1, SiteID: shopSite}
	var err error
	_, w.address, err = w.customers.AddAddress(t.Context(), env(), commands.NewAddress{Target: w.buyer,
		Address: customer.Address{Type: customer.AddressShipping, Line1: "1 rue Principale", City: "Montréal",
			Country: "CA", State: "QC", PostalCode: "H2X 1Y4"}})
	if err != nil {
		t.Fatal(err)
	}
	_, _, invoices := paymentCommands(w.deps, commands.Gateways{commands.DefaultGateway: sandbox.New(w.deps.ReadModels.DB)})
	w.orders = orderCommands(w.deps, invoices)
	runProjectionsUntilCaughtUp(t, w.cfg)
	return w
}

// placeThreeDSecure orders two red totes with a card asking for 3-D Secure and returns the pending order.
func (w *orderWorld) placeThreeDSecure(t *testing.T) commands.PlacedOrder {
	t.Helper()
	placed, err := w.orders.Place(t.Context(), env(), commands.NewOrder{Cart: commands.Cart{Target: w.buyer,
		Items: []commands.CartItem{{SKUID: redTote, Quantity: 2}}, AddressID: w.address},
		Token: "tok_threeDSecure2Required"})
	if err != nil || placed.PaymentIntent == nil {
		t.Fatalf("place: %+v, %v; want a payment intent", placed, err)
	}
	runProjectionsUntilCaughtUp(t, w.cfg)
	return placed
}

// shownOrders are the statuses of the Customer resource's `orders`.
func (w *orderWorld) shownOrders(t *testing.T) []string {
	t.Helper()
	c, err := queries.Customers{DB: w.deps.ReadModels}.Customer(t.Context(), w.buyer.CustomerID)
	if err != nil {
		t.Fatal(err)
	}
	statuses := []string{}
	for _, o := range c.Orders {
		statuses = append(statuses, o.Status)
	}
	return statuses
}

// redTotes are the red totes sold and held, as their stock stream tells.
func (w *orderWorld) redTotes(t *testing.T) (sold, held int64) {
	t.Helper()
	s, err := w.orders.ReadStock(t.Context(), redTote)
	if err != nil {
		t.Fatal(err)
	}
	return s.Sold, s.HeldUnits()
}

func TestAConfirmedThreeDSecureOrderIsPaidAtOnce(t *testing.T) {
	t.Parallel()
	// given an order waiting for 3-D Secure, its two units held
	w := newOrderWorld(t)
	placed := w.placeThreeDSecure(t)
	if shown := w.shownOrders(t); len(shown) != 1 || shown[0] != "pending" {
		t.Fatalf("before the confirmation the customer shows orders %v, want [pending]", shown)
	}
	// when the intent is confirmed (pelcro payments confirm), the reactors running as in pelcro serve, long
	// before the order's deadline
	if _, err := confirmIntent(t.Context(), w.cfg, placed.PaymentIntent.ID); err != nil {
		t.Fatal(err)
	}
	runProjectionsUntilCaughtUp(t, w.cfg) // the reactor completes the order
	runProjectionsUntilCaughtUp(t, w.cfg) // the orders read model shows it
	// then the order is paid in the Customer's orders, and its units sold
	if shown := w.shownOrders(t); len(shown) != 1 || shown[0] != "paid" {
		t.Errorf("after the confirmation the customer shows orders %v, want [paid]", shown)
	}
	if sold, held := w.redTotes(t); sold != 2 || held != 0 {
		t.Errorf("%d red totes sold and %d held, want 2 and 0", sold, held)
	}
}

func TestBillingRunEndsTheOrdersPastTheirDeadline(t *testing.T) {
	t.Parallel()
	// given an order whose 3-D Secure nobody completes
	w := newOrderWorld(t)
	placed := w.placeThreeDSecure(t)
	payBy := placed.Order.PayBy.UTC()
	pelcro := func(until time.Time) string {
		out, _, err := runPelcro(t, "--database-url", w.cfg.DatabaseURL, "--eventstore-url", "", "billing", "run",
			"--until", until.Format(time.RFC3339))
		if err != nil {
			t.Fatalf("billing run: %v\n%s", err, out)
		}
		return strings.TrimSpace(out)
	}
	// when the billing clock runs until a second before its deadline, then until a day after it
	early := pelcro(payBy.Add(-time.Second))
	late := pelcro(payBy.Add(24 * time.Hour))
	// then the first run leaves it, the second ends it at its deadline and says so
	if strings.Contains(early, "order") {
		t.Errorf("the run before the deadline printed:\n%s", early)
	}
	want := fmt.Sprintf("%s order %d expiry: expired invoice %d", payBy.UTC().Format(time.RFC3339Nano),
		placed.Order.ID, placed.Order.InvoiceID)
	lines := strings.Split(late, "\n")
	if len(lines) != 2 || lines[0] != want || !strings.HasSuffix(lines[1], "; 1 order(s) past their deadline (expired 1)") {
		t.Errorf("the run after the deadline printed:\n%s\nwant %q and the count", late, want)
	}
	// and its units are back, the order no longer shown, and a run again finds nothing to end
	if sold, held := w.redTotes(t); sold != 0 || held != 0 {
		t.Errorf("%d red totes sold and %d held, want none", sold, held)
	}
	runProjectionsUntilCaughtUp(t, w.cfg)
	if shown := w.shownOrders(t); len(shown) != 0 {
		t.Errorf("the customer shows orders %v, want none (an expired order charged nothing)", shown)
	}
	if again := pelcro(payBy.Add(24 * time.Hour)); strings.Contains(again, "order") {
		t.Errorf("the run again printed:\n%s", again)
	}
}
