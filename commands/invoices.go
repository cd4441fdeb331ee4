package commands

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// InvoiceAggregate stores one stream per invoice, "invoice-<id>". Warning: the prefix is part of stored
// stream names; changing it orphans every invoice.
var InvoiceAggregate = Aggregate[invoice.State, invoice.Event]{
	Registry: invoice.Events, Evolve: invoice.Evolve, StreamPrefix: "invoice-"}

// IDKindInvoice is the kind of the invoices' integer ids (see IDAllocator). Warning: names a counter stream.
const IDKindInvoice = "invoice"

// ErrSourceNotFound refuses a source_id that is not a chargeable source of the customer (rule 24): another
// customer's card or a deleted one reads as no card at all.
var ErrSourceNotFound = errors.New("commands: no chargeable source with this id")

// ErrSourceAwaitingAuthentication refuses a source_id of the customer's that still waits for its 3-D Secure
// setup: the customer completes it first. It matches ErrSourceNotFound (errors.Is) for callers that only
// need to know the source cannot be charged.
var ErrSourceAwaitingAuthentication = fmt.Errorf("%w: the card waits for its 3-D Secure authentication", ErrSourceNotFound)

// Invoices runs the invoice commands (spec 2.7). Store and IDs are required; Gateways and Intents for Pay.
type Invoices struct {
	Store    eventstore.Store
	IDs      *IDAllocator
	Gateways Gateways
	// Intents registers the 3-D Secure intents of charges, so their confirmation finds the invoice
	// (CompleteIntent is the owner of payment intents).
	Intents Intents
	// Now is the business clock stamped on events; nil means time.Now.
	Now func() time.Time
}

// InvoiceResult is where an invoice command left the invoice.
type InvoiceResult struct {
	InvoiceID int64
	Result
}

// NewInvoice opens (or drafts) an invoice for a customer: the invoice's values, for the customer named by
// Invoice.CustomerID. AccountID, when not zero, must be the customer's account (a caller acting for one
// account); zero takes the customer's own (an operator). The customer's account and site are the invoice's.
type NewInvoice struct {
	AccountID int64
	Invoice   invoice.Create
}

// Create allocates an id and creates the invoice. A customer that does not exist, or not in AccountID, is
// customer.ErrNotRegistered.
func (c Invoices) Create(ctx context.Context, env Envelope, in NewInvoice) (InvoiceResult, error) {
	create, err := c.creation(ctx, in)
	if err != nil {
		return InvoiceResult{}, err
	}
	if err := create.Problems().Err(); err != nil {
		return InvoiceResult{}, err // before an id is spent on it
	}
	if create.InvoiceID, err = c.IDs.Next(ctx); err != nil {
		return InvoiceResult{}, err
	}
	done, err := c.open(ctx, env, create)
	return InvoiceResult{InvoiceID: create.InvoiceID, Result: done.Result}, err
}

// Open creates the invoice under an id the caller allocated and recorded first (a process manager that
// must find the same invoice again after a crash: the billing clock records a renewal's invoice id on the
// subscription before opening it). Opening it again for the same customer and subscription is a no-op
// that answers where the invoice stands; any other use of an existing id is invoice.ErrAlreadyExists.
func (c Invoices) Open(ctx context.Context, env Envelope, id int64, in NewInvoice) (InvoiceResult, error) {
	done, err := c.openState(ctx, env, id, in)
	return InvoiceResult{InvoiceID: id, Result: done.Result}, err
}

// openState is Open that also returns the invoice as opening it left it (the billing clock charges it next).
func (c Invoices) openState(ctx context.Context, env Envelope, id int64, in NewInvoice) (handled[invoice.State], error) {
	create, err := c.creation(ctx, in)
	if err != nil {
		return handled[invoice.State]{}, err
	}
	create.InvoiceID = id
	return c.open(ctx, env, create)
}

// creation is the invoice in describes, in its customer's account and site (its id left to the caller). A
// customer that does not exist, or not in in.AccountID, is customer.ErrNotRegistered.
func (c Invoices) creation(ctx context.Context, in NewInvoice) (invoice.Create, error) {
	// Under the billing run's ctx, a customer read within billingReadsFreshFor is not read again (loadRecent).
	owner, err := loadRecent(ctx, c.Store, CustomerAggregate, customerStream(in.Invoice.CustomerID))
	if err != nil {
		return invoice.Create{}, err
	}
	if !owner.state.Exists() || (in.AccountID != 0 && owner.state.AccountID != in.AccountID) {
		return invoice.Create{}, customer.ErrNotRegistered
	}
	create := in.Invoice
	create.AccountID, create.SiteID = owner.state.AccountID, owner.state.SiteID
	return create, nil
}

// open creates the invoice create describes, unless its stream holds it already.
func (c Invoices) open(ctx context.Context, env Envelope, create invoice.Create) (handled[invoice.State], error) {
	return c.handleState(ctx, env, create.InvoiceID, nil, func(s invoice.State, now time.Time) ([]invoice.Event, error) {
		if holds(s, create) {
			return nil, nil
		}
		return invoice.CreateInvoice(s, create, now)
	})
}

// holds reports whether the invoice stream's state s is the invoice create describes (opened before, by
// an earlier run of the same caller): its customer's and subscription's.
func holds(s invoice.State, create invoice.Create) bool {
	return s.Exists() && s.CustomerID == create.CustomerID && s.SubscriptionID == create.SubscriptionID
}

// Finalize opens a draft invoice.
func (c Invoices) Finalize(ctx context.Context, env Envelope, id int64) (InvoiceResult, error) {
	return c.handle(ctx, env, id, invoice.Finalize)
}

// Void cancels an invoice nobody paid.
func (c Invoices) Void(ctx context.Context, env Envelope, id int64) (InvoiceResult, error) {
	return c.handle(ctx, env, id, invoice.Void)
}

// MarkUncollectible gives up on an open invoice.
func (c Invoices) MarkUncollectible(ctx context.Context, env Envelope, id int64) (InvoiceResult, error) {
	return c.handle(ctx, env, id, invoice.MarkUncollectible)
}

// handle runs decide on the invoice's stream with the command's business time.
func (c Invoices) handle(ctx context.Context, env Envelope, id int64,
	decide func(invoice.State, time.Time) ([]invoice.Event, error)) (InvoiceResult, error) {
	done, err := c.handleState(ctx, env, id, nil, decide)
	return InvoiceResult{InvoiceID: id, Result: done.Result}, err
}

// handleWith is handle that appends what decide decided in one commit with what also decides on its own
// stream (handleSides); a nil also is handle.
func (c Invoices) handleWith(ctx context.Context, env Envelope, id int64, also side,
	decide func(invoice.State, time.Time) ([]invoice.Event, error)) (InvoiceResult, error) {
	if also == nil {
		return c.handle(ctx, env, id, decide)
	}
	at := c.now()
	recorded := newSide(InvoiceAggregate, strconv.FormatInt(id, 10), env,
		func(s invoice.State) ([]invoice.Event, error) { return decide(s, at) })
	err := handleSides(ctx, c.Store, recorded, also)
	return InvoiceResult{InvoiceID: id, Result: recorded.done.Result}, err
}

// handleState is handle, deciding first on loaded when given (see handleLoaded), that also returns the
// invoice's state after the command.
func (c Invoices) handleState(ctx context.Context, env Envelope, id int64, loaded *history[invoice.State],
	decide func(invoice.State, time.Time) ([]invoice.Event, error)) (handled[invoice.State], error) {
	at := c.now()
	return handleState(ctx, c.Store, InvoiceAggregate, strconv.FormatInt(id, 10), env, loaded,
		func(s invoice.State) ([]invoice.Event, error) { return decide(s, at) })
}

// Read loads an invoice's current state, for operators' tools (the zero State when there is none).
func (c Invoices) Read(ctx context.Context, id int64) (invoice.State, error) {
	h, err := load(ctx, c.Store, InvoiceAggregate, invoiceStream(id), "")
	return h.state, err
}

// now returns the business time of a command, fixed once for all its attempts.
func (c Invoices) now() time.Time {
	if c.Now != nil {
		return c.Now().UTC()
	}
	return time.Now().UTC()
}
