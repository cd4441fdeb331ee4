package commands_test

import (
	"context"
	"database/sql"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
	"github.com/pelcro-oss/pelcro-api/internal/payments/sandbox"
	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest/migratedtest"
)

// invoiceWorld is the invoice, wallet and customer commands on one fresh database, paying through the real
// sandbox gateway behind a fault switch (faultyCharges) and a store that can refuse one kind of event.
type invoiceWorld struct {
	*customerWorld
	invoices commands.Invoices
	wallets  commands.Wallets
	intents  commands.Intents
	sandbox  *sandbox.Gateway
	gateway  *faultyCharges
	store    *refusingStore
	db       *sql.DB
	// url names the world's database, for a restarted world (another process) over it.
	url string
}

// paymentsDatabase is a fresh database with the read-model schema (the sandbox gateway's tables among
// them), and its URL for the event store to share it.
func paymentsDatabase(t *testing.T) (string, *sqlx.DB) {
	t.Helper()
	url := migratedtest.NewDatabase(t)
	db, err := pg.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return url, db
}

func newInvoiceWorld(t *testing.T) *invoiceWorld {
	t.Helper()
	url, db := paymentsDatabase(t)
	return invoiceWorldOn(t, url, db.DB)
}

// invoiceWorldOn is the invoice world over an existing database, as a process of its own: its own store
// connection and state cache, its own gateway.
func invoiceWorldOn(t *testing.T, url string, db *sql.DB) *invoiceWorld {
	t.Helper()
	store := &refusingStore{Store: openStore(t, url)}
	w := &invoiceWorld{customerWorld: newCustomerWorldOn(t, store), store: store, db: db, sandbox: sandbox.New(db), url: url}
	w.gateway = &faultyCharges{Gateway: w.sandbox}
	gateways := commands.Gateways{"stripe": w.gateway}
	w.intents = commands.Intents{Store: store, Gateways: gateways}
	w.invoices = commands.Invoices{Store: store, Gateways: gateways, Intents: w.intents,
		IDs: commands.NewIDAllocator(store, commands.IDKindInvoice, commands.IDAllocatorConfig{BlockSize: 10})}
	w.wallets = commands.Wallets{Store: store, Gateways: gateways, Intents: w.intents,
		MethodIDs: commands.NewIDAllocator(store, commands.IDKindPaymentMethod, commands.IDAllocatorConfig{BlockSize: 10})}
	w.intents.Owners = map[payments.IntentKind]commands.IntentOwner{payments.PaymentIntent: w.invoices.CompleteIntent,
		payments.SetupIntent: w.wallets.ConfirmSetup}
	w.invoices.Intents, w.wallets.Intents = w.intents, w.intents // as cmd/pelcro wires them: an abandon confirms
	return w
}

// open opens an invoice of amount usd cents for the customer and returns its id.
func (w *invoiceWorld) open(t *testing.T, customerID, amount int64) int64 {
	t.Helper()
	r, err := w.invoices.Create(t.Context(), newEnv(), commands.NewInvoice{Invoice: invoice.Create{CustomerID: customerID,
		Currency: "usd", Lines: []invoice.Line{{Description: "Issue 12", UnitAmount: amount, Quantity: 1}}}})
	if err != nil {
		t.Fatalf("open an invoice for customer %d: %v", customerID, err)
	}
	return r.InvoiceID
}

// saveCard saves the card of token in the customer's wallet and returns its id.
func (w *invoiceWorld) saveCard(t *testing.T, customerID int64, token string) int64 {
	t.Helper()
	r, err := w.wallets.Save(t.Context(), newEnv(), commands.NewPaymentMethod{
		Target: commands.Target{CustomerID: customerID, AccountID: 1, SiteID: 1}, Token: token})
	if err != nil {
		t.Fatalf("save %s: %v", token, err)
	}
	return r.PaymentMethodID
}

// recorded is the invoice's stream as the store holds it.
func (w *invoiceWorld) recorded(t *testing.T, id int64) []eventstore.RecordedEvent {
	t.Helper()
	events, err := w.store.ReadStream(t.Context(), "invoice-"+strconv.FormatInt(id, 10), eventstore.Forwards,
		eventstore.StreamStart(), 1000)
	if err != nil {
		t.Fatalf("read invoice %d: %v", id, err)
	}
	return events
}

// state is the invoice as its stream tells it.
func (w *invoiceWorld) state(t *testing.T, id int64) invoice.State {
	t.Helper()
	var s invoice.State
	for _, r := range w.recorded(t, id) {
		e, err := invoice.Events.Decode(r.Type, 1, r.Data)
		if err != nil {
			t.Fatal(err)
		}
		s = invoice.Evolve(s, e.(invoice.Event))
	}
	return s
}

// charges is how many charges the sandbox took money for.
func (w *invoiceWorld) charges(t *testing.T) int {
	t.Helper()
	var n int
	if err := w.db.QueryRowContext(t.Context(), `SELECT count(*) FROM payments_sandbox_charges`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// refundedCharges is what the sandbox gave back of each charge refunded, smallest first.
func (w *invoiceWorld) refundedCharges(t *testing.T) []int64 {
	t.Helper()
	rows, err := w.db.QueryContext(t.Context(),
		`SELECT refunded FROM payments_sandbox_charges WHERE refunded > 0 ORDER BY refunded`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var refunds []int64
	for rows.Next() {
		var refunded int64
		if err := rows.Scan(&refunded); err != nil {
			t.Fatal(err)
		}
		refunds = append(refunds, refunded)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return refunds
}

// The faults faultyCharges can play on the next charge.
const (
	noFault             int32 = iota
	unavailableBefore         // the gateway cannot be reached: nothing is charged
	timesOutAfterCharge       // the charge is taken, then the answer is lost
	declines                  // the card is declined: nothing is charged
)

// faultyCharges is a real gateway whose next charge can fail, before or after it reaches the gateway
// (faultyGateway does the same for saving cards), and whose cancels can be refused.
type faultyCharges struct {
	payments.Gateway
	next atomic.Int32
	// afterCharge, when set, runs once after the next charge the gateway took (something happening while
	// the payment was under way), before the charge is answered.
	afterCharge atomic.Pointer[func()]
	// stillMoving makes every cancel refused the way Stripe refuses one for an intent still processing:
	// the intent stays where it is and is answered so.
	stillMoving atomic.Bool
}

func (g *faultyCharges) Charge(ctx context.Context, req payments.ChargeRequest) (payments.Charge, error) {
	switch g.next.Swap(noFault) {
	case unavailableBefore:
		return payments.Charge{}, payments.ErrUnavailable
	case declines:
		return payments.Charge{}, &payments.Declined{Reason: payments.CardDeclined}
	case timesOutAfterCharge:
		if _, err := g.Gateway.Charge(ctx, req); err != nil {
			return payments.Charge{}, err
		}
		return payments.Charge{}, payments.ErrUnavailable
	}
	charge, err := g.Gateway.Charge(ctx, req)
	if hook := g.afterCharge.Load(); err == nil && hook != nil && g.afterCharge.CompareAndSwap(hook, nil) {
		(*hook)()
	}
	return charge, err
}

// CancelPaymentIntent is the sandbox's, which can cancel intents, unless stillMoving refuses it.
func (g *faultyCharges) CancelPaymentIntent(ctx context.Context, id string) (payments.Intent, error) {
	if g.stillMoving.Load() {
		return g.Gateway.Intent(ctx, id)
	}
	return g.Gateway.(payments.IntentCanceler).CancelPaymentIntent(ctx, id)
}

// invoicesOf are the invoices billed to the subscription, by id (ids are drawn from the world's one
// allocator in blocks of 10; the tests open fewer than 100).
func (w *invoiceWorld) invoicesOf(t *testing.T, subscriptionID int64) []invoice.State {
	t.Helper()
	var found []invoice.State
	for id := int64(1); id <= 100; id++ {
		s, err := w.invoices.Read(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		if s.Exists() && s.SubscriptionID == subscriptionID {
			found = append(found, s)
		}
	}
	return found
}
