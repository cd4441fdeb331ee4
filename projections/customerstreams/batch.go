package customerstreams

import (
	"context"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/aggregates/order"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// applyBatch is the handlers' work for many events at once (projections.Projection.Batch): a few set-based
// statements per run of events instead of two or three per event, which made a replay of this index cost
// ten times all the other read models together. Every write but the erasures' is a set union (or a position
// that only moves forwards), so a run's order does not matter; an erasure deletes emails that later events
// of the same batch may match, so the batch is cut there and the erasure applied on its own, in log order.
func applyBatch(ctx context.Context, tx *sqlx.Tx, events []projections.Event[any]) error {
	var run batch
	for _, e := range events {
		switch d := e.Data.(type) {
		case customer.Erased:
			if err := flushThen(ctx, tx, &run, e, func() error { return Forget(ctx, tx, d.CustomerID) }); err != nil {
				return err
			}
			continue
		case newsletter.Erased:
			if err := flushThen(ctx, tx, &run, e, func() error {
				return applyNewsletterErased(ctx, tx, projections.Event[newsletter.Erased]{Envelope: e.Envelope, Data: d})
			}); err != nil {
				return err
			}
			continue
		}
		run.add(e)
	}
	return run.flush(ctx, tx)
}

// flushThen writes the run so far, then records e's position and applies the erasure.
func flushThen(ctx context.Context, tx *sqlx.Tx, run *batch, e projections.Event[any], erase func() error) error {
	if err := run.flush(ctx, tx); err != nil {
		return err
	}
	*run = batch{}
	if err := touch(ctx, tx, e.Envelope); err != nil {
		return err
	}
	return erase()
}

// batch is what a run of events without erasures writes. Each row is sent once however many events name
// it: a newsletter entry's every event names its (site, email, stream), and the conflict checks of the
// repeats were most of this index's cost in a replay.
type batch struct {
	streams                    []string // in order of first appearance
	first, last                map[string]projections.Envelope
	sent                       map[any]bool // the rows below, as row keys
	linkCustomers              []int64
	linkStreams                []string
	ownerCustomers, ownerSites []int64
	emailCustomers             []int64
	emails                     []string
	newsletters                []newsletterRow
}

func (b *batch) add(e projections.Event[any]) {
	if b.first == nil {
		b.first, b.last, b.sent = map[string]projections.Envelope{}, map[string]projections.Envelope{}, map[any]bool{}
	}
	if _, seen := b.first[e.Stream]; !seen {
		b.streams = append(b.streams, e.Stream)
		b.first[e.Stream] = e.Envelope
	}
	b.last[e.Stream] = e.Envelope
	switch d := e.Data.(type) {
	case customer.Registered:
		b.link(d.CustomerID, e.Stream)
		if b.once(owner{d.CustomerID, d.SiteID}) {
			b.ownerCustomers, b.ownerSites = append(b.ownerCustomers, d.CustomerID), append(b.ownerSites, d.SiteID)
		}
		b.email(d.CustomerID, d.Email)
	case customer.EmailChanged:
		b.email(d.CustomerID, d.Email)
	case customer.LoggedIn:
		b.link(d.CustomerID, e.Stream)
	case wallet.PaymentMethodSaved:
		b.link(d.CustomerID, e.Stream)
	case invoice.Created:
		b.link(d.CustomerID, e.Stream)
	case subscription.Created:
		b.link(d.CustomerID, e.Stream)
	case order.Placed:
		b.link(d.CustomerID, e.Stream)
	case newsletter.Subscribed:
		b.newsletter(d.SiteID, d.Email, e.Envelope)
	case newsletter.Updated:
		b.newsletter(d.SiteID, d.Email, e.Envelope)
	case newsletter.Unsubscribed:
		b.newsletter(d.SiteID, d.Email, e.Envelope)
	}
}

// Row keys of the batch's rows, one type per table.
type (
	streamLink struct {
		customerID int64
		stream     string
	}
	owner         struct{ customerID, siteID int64 }
	customerEmail struct {
		customerID int64
		email      string
	}
	newsletterEmail struct {
		siteID        int64
		email, stream string
	}
)

// once reports whether the row is new to the batch, and remembers it.
func (b *batch) once(row any) bool {
	if b.sent[row] {
		return false
	}
	b.sent[row] = true
	return true
}

func (b *batch) link(customerID int64, stream string) {
	if b.once(streamLink{customerID, stream}) {
		b.linkCustomers, b.linkStreams = append(b.linkCustomers, customerID), append(b.linkStreams, stream)
	}
}

func (b *batch) email(customerID int64, email string) {
	if email = normalised(email); email != "" && b.once(customerEmail{customerID, email}) {
		b.emailCustomers, b.emails = append(b.emailCustomers, customerID), append(b.emails, email)
	}
}

// newsletter records the entry's email. A row named first by its stream's first event (revision 0) is new
// to the table: only events of that stream write it (see newsletterRow).
func (b *batch) newsletter(siteID int64, email string, e projections.Envelope) {
	row := newsletterEmail{siteID, normalised(email), e.Stream}
	if row.email != "" && b.once(row) {
		b.newsletters = append(b.newsletters, newsletterRow{newsletterEmail: row, isNew: e.Revision == 0})
	}
}
