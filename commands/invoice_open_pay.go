package commands

import (
	"context"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
)

// payOpening opens invoice in.InvoiceID, an id the caller allocated and recorded first (see Open), and pays
// it with means, checked by the caller (Invoices.means): the invoice's creation and the first attempt are
// one append, so opening and paying an invoice nobody has seen yet costs one commit less than Open then Pay.
// Crash-safe as Pay: the attempt is recorded before the gateway is asked; run again after a crash, the
// stream read first holds the earlier run's invoice and pending attempt, which is repeated with its own
// gateway key and amount. An invoice opened already (by an earlier run, or through Open) is paid
// as Pay would, and a paid one is answered as it stands; the invoice is returned as the attempt left it.
func (c Invoices) payOpening(ctx context.Context, env Envelope, in InvoicePayment, means invoice.Means,
	opening NewInvoice) (PaidInvoice, invoice.State, error) {
	create, err := c.creation(ctx, opening)
	if err != nil {
		return PaidInvoice{}, invoice.State{}, err
	}
	create.InvoiceID = in.InvoiceID
	pay := invoice.Pay{CustomerID: in.CustomerID, AccountID: in.AccountID, Means: means}
	// The stream is read (the tail after the cached state), never assumed empty: a rerun under the same
	// command id appends the same event ids, which the store takes for a retry of the earlier run's append
	// and answers as written without comparing the data, so a rerun that priced differently would charge
	// its own amount against the earlier run's invoice. Read, the earlier invoice is found and kept.
	current, err := load(ctx, c.Store, InvoiceAggregate, invoiceStream(in.InvoiceID), env.derived("attempt").CommandID)
	if err != nil {
		return PaidInvoice{}, invoice.State{}, err
	}
	return c.attempt(ctx, env, in.InvoiceID, &current, pay, &create)
}

// openThenAttempt decides an attempt to pay the invoice (invoice.AttemptPayment), after creating it from
// opening when opening is set and the stream does not hold this very invoice yet. An invoice that creating
// paid at once (nothing to charge), or that was paid before, needs no attempt: nothing more is decided.
func openThenAttempt(s invoice.State, opening *invoice.Create, pay invoice.Pay, now time.Time) ([]invoice.Event, error) {
	if opening == nil {
		return invoice.AttemptPayment(s, pay, now)
	}
	var opened []invoice.Event
	if !holds(s, *opening) {
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
