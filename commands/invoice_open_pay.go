package commands

import (
	"context"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
)

// payOpening opens invoice in.InvoiceID, an id the caller allocated and recorded first (see Open), and pays
// it with means, checked by the caller (Invoices.means): the invoice's creation and the first attempt are
// one append, so opening and paying an invoice nobody has seen yet costs one commit less than Open then Pay,
// and its stream is not read first. Crash-safe as Pay: the attempt is recorded before the gateway is asked;
// run again after a crash, the append finds the stream taken, the log is read, and the pending attempt is
// repeated with its own gateway key. An invoice opened already (by an earlier run, or through Open) is paid
// as Pay would, and a paid one is answered as it stands; the invoice is returned as the attempt left it.
func (c Invoices) payOpening(ctx context.Context, env Envelope, in InvoicePayment, means invoice.Means,
	opening NewInvoice) (PaidInvoice, invoice.State, error) {
	owner, err := load(ctx, c.Store, CustomerAggregate, customerStream(opening.Invoice.CustomerID), "")
	if err != nil {
		return PaidInvoice{}, invoice.State{}, err
	}
	if !owner.state.Exists() || (opening.AccountID != 0 && owner.state.AccountID != opening.AccountID) {
		return PaidInvoice{}, invoice.State{}, customer.ErrNotRegistered
	}
	create := opening.Invoice
	create.InvoiceID, create.AccountID, create.SiteID = in.InvoiceID, owner.state.AccountID, owner.state.SiteID
	pay := invoice.Pay{CustomerID: in.CustomerID, AccountID: in.AccountID, Means: means}
	stream := invoiceStream(in.InvoiceID)
	unseen := fromCache[invoice.State](c.Store, stream, env.derived("attempt").CommandID)
	if unseen == nil {
		unseen = &history[invoice.State]{recent: []landedEvent{}, unread: true}
	}
	return c.attempt(ctx, env, in.InvoiceID, unseen, pay, &create)
}

// openThenAttempt decides an attempt to pay the invoice (invoice.AttemptPayment), after creating it from
// opening when opening is set and the stream does not hold this very invoice yet. An invoice that creating
// paid at once (nothing to charge), or that was paid before, needs no attempt: nothing more is decided.
func openThenAttempt(s invoice.State, opening *invoice.Create, pay invoice.Pay, now time.Time) ([]invoice.Event, error) {
	if opening == nil {
		return invoice.AttemptPayment(s, pay, now)
	}
	var opened []invoice.Event
	if !s.Exists() || s.CustomerID != opening.CustomerID || s.SubscriptionID != opening.SubscriptionID {
		created, err := invoice.CreateInvoice(s, *opening, now)
		if err != nil {
			return nil, err
		}
		for _, e := range created {
			s = invoice.Evolve(s, e)
		}
		opened = created
	}
	if s.Status == invoice.StatusPaid {
		return opened, nil
	}
	attempted, err := invoice.AttemptPayment(s, pay, now)
	if err != nil {
		return nil, err
	}
	return append(opened, attempted...), nil
}
