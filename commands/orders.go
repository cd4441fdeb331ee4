package commands

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/order"
	"github.com/pelcro-oss/pelcro-api/aggregates/stock"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// OrderAggregate stores one stream per e-commerce order, "order-<id>"; StockAggregate one per SKU,
// "stock-<sku id>". Warning: the prefixes are part of stored stream names; changing StockAggregate's
// forgets every unit sold, so they would be sold again.
var (
	OrderAggregate = Aggregate[order.State, order.Event]{
		Registry: order.Events, Evolve: order.Evolve, StreamPrefix: "order-"}
	StockAggregate = Aggregate[stock.State, stock.Event]{
		Registry: stock.Events, Evolve: stock.Evolve, StreamPrefix: "stock-"}
)

// IDKindOrder is the kind of the orders' integer ids (see IDAllocator). Warning: names a counter stream.
const IDKindOrder = "order"

// DefaultPaymentWindow is how long a placed order holds its units when Orders.PaymentWindow is zero: long
// enough for a slow gateway and a 3-D Secure challenge, short enough that units a crashed process held
// come back to stock soon.
const DefaultPaymentWindow = 15 * time.Minute

// Reservation scopes of the order commands. Warning: scopes are part of stored stream names; renaming
// one makes a retried order a second order, charged a second time.
const (
	orderOfCommandScope = "order_of_command"
	orderInvoiceScope   = "order_invoice"
)

// Orders runs the e-commerce commands (spec 2.10 #53, #54): pricing a cart, placing and paying an order,
// and ending the orders nobody finished (Expire, the process manager's step).
type Orders struct {
	Store eventstore.Store
	// IDs allocates order ids; Invoices opens and pays the invoice of each order (billing reason
	// order_create) and allocates its id.
	IDs      *IDAllocator
	Invoices Invoices
	Catalog  OrderCatalog
	// Pricer reads the customer's addresses and applies the address rules (see Pricer.taxes).
	Pricer Pricer
	// Names keys the streams recording which order and invoice a command was given.
	Names StreamNames
	// Segments refuses a SKU restricted to segments the customer is not in (ErrSKUNotFound); nil lets
	// everybody buy everything.
	Segments func(ctx context.Context, who Target, sku SaleSKU) error
	// PaymentWindow is how long an order holds its units before Expire may release them (zero:
	// DefaultPaymentWindow).
	PaymentWindow time.Duration
	// Now is the business clock stamped on events; nil means time.Now.
	Now func() time.Time
}

// OrderResult is where an order command left the order.
type OrderResult struct {
	Order order.State
	Result
}

// Read loads an order's current state (the zero State when there is none).
func (c Orders) Read(ctx context.Context, id int64) (order.State, error) {
	h, err := load(ctx, c.Store, OrderAggregate, OrderAggregate.StreamPrefix+strconv.FormatInt(id, 10), "")
	return h.state, err
}

// handle runs decide on the order's stream and answers the order as the command left it.
func (c Orders) handle(ctx context.Context, env Envelope, id int64, decide func(order.State) ([]order.Event, error)) (OrderResult, error) {
	return c.handleFrom(ctx, env, id, nil, decide)
}

// handleFrom is handle whose first attempt decides on loaded (nil: the stream as loaded), see handleLoaded.
func (c Orders) handleFrom(ctx context.Context, env Envelope, id int64, loaded *history[order.State],
	decide func(order.State) ([]order.Event, error)) (OrderResult, error) {
	var decided order.State
	result, err := handleLoaded(ctx, c.Store, OrderAggregate, strconv.FormatInt(id, 10), env, loaded,
		func(s order.State) ([]order.Event, error) {
			events, err := decide(s)
			decided = s
			for _, e := range events {
				decided = order.Evolve(decided, e)
			}
			return events, err
		})
	if err == nil && !decided.Exists() { // the command had landed before: read what it left
		decided, err = c.Read(ctx, id)
	}
	return OrderResult{Order: decided, Result: result}, err
}

// stockLocks serialises one SKU's stock decisions within the process (see keyedLocks): a hundred buyers of
// one hot SKU would otherwise lose their optimistic appends to each other until some ran out of retries
// and were told 409 instead of being sold a unit or told it is gone. Across processes the expected
// revision alone keeps the count right.
var stockLocks keyedLocks

// stock runs decide on the SKU's stock stream, one decision of this process at a time.
func (c Orders) stock(ctx context.Context, env Envelope, skuID int64, decide func(stock.State) ([]stock.Event, error)) error {
	defer stockLocks.lock(StockAggregate.StreamPrefix + strconv.FormatInt(skuID, 10))()
	_, err := Handle(ctx, c.Store, StockAggregate, strconv.FormatInt(skuID, 10), env, decide)
	return err
}

// ReadStock loads a SKU's stock stream (the zero State when nothing was ever reserved of it).
func (c Orders) ReadStock(ctx context.Context, skuID int64) (stock.State, error) {
	h, err := load(ctx, c.Store, StockAggregate, StockAggregate.StreamPrefix+strconv.FormatInt(skuID, 10), "")
	return h.state, err
}

func (c Orders) records() Reservations {
	return Reservations{Store: c.Store, Names: c.Names, Now: c.Now}
}

func (c Orders) now() time.Time {
	if c.Now != nil {
		return c.Now().UTC()
	}
	return time.Now().UTC()
}

func (c Orders) paymentWindow() time.Duration {
	if c.PaymentWindow > 0 {
		return c.PaymentWindow
	}
	return DefaultPaymentWindow
}

// ErrOrderExpired: the order's deadline passed before its payment went through (the process manager
// released its units and voided its invoice), so nothing was charged.
var ErrOrderExpired = errors.New("commands: the order expired before it was paid")
