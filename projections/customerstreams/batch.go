package customerstreams

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

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
	streams                          []string // in order of first appearance
	first, last                      map[string]projections.Envelope
	sent                             map[any]bool // the rows below, as row keys
	linkCustomers                    []int64
	linkStreams                      []string
	ownerCustomers, ownerSites       []int64
	emailCustomers                   []int64
	emails                           []string
	newsletterSites                  []int64
	newsletterEmails, newsletterRefs []string
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
		b.newsletter(d.SiteID, d.Email, e.Stream)
	case newsletter.Updated:
		b.newsletter(d.SiteID, d.Email, e.Stream)
	case newsletter.Unsubscribed:
		b.newsletter(d.SiteID, d.Email, e.Stream)
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

func (b *batch) newsletter(siteID int64, email, stream string) {
	if email = normalised(email); email != "" && b.once(newsletterEmail{siteID, email, stream}) {
		b.newsletterSites, b.newsletterEmails = append(b.newsletterSites, siteID), append(b.newsletterEmails, email)
		b.newsletterRefs = append(b.newsletterRefs, stream)
	}
}

// flush writes the run: positions, direct links, sites, both sides' emails, then the links of every pair of
// emails the run touched (a pair of two older emails was linked when its second side arrived).
func (b *batch) flush(ctx context.Context, tx *sqlx.Tx) error {
	if len(b.streams) == 0 {
		return nil
	}
	var firstCommit, firstPrepare, lastCommit, lastPrepare []string
	for _, s := range b.streams {
		f, l := b.first[s].Position, b.last[s].Position
		firstCommit, firstPrepare = append(firstCommit, strconv.FormatUint(f.Commit, 10)), append(firstPrepare, strconv.FormatUint(f.Prepare, 10))
		lastCommit, lastPrepare = append(lastCommit, strconv.FormatUint(l.Commit, 10)), append(lastPrepare, strconv.FormatUint(l.Prepare, 10))
	}
	statements := []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO customer_stream_positions AS p (stream, first_commit, first_prepare, last_commit, last_prepare)
			SELECT s, fc::numeric, fp::numeric, lc::numeric, lp::numeric FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(s, fc, fp, lc, lp)
			ON CONFLICT (stream) DO UPDATE SET last_commit = EXCLUDED.last_commit, last_prepare = EXCLUDED.last_prepare
			WHERE (p.last_commit, p.last_prepare) < (EXCLUDED.last_commit, EXCLUDED.last_prepare)`,
			[]any{pq.Array(b.streams), pq.Array(firstCommit), pq.Array(firstPrepare), pq.Array(lastCommit), pq.Array(lastPrepare)}},
		{`INSERT INTO customer_streams (customer_id, stream) SELECT * FROM unnest($1::bigint[], $2::text[]) ON CONFLICT DO NOTHING`,
			[]any{pq.Array(b.linkCustomers), pq.Array(b.linkStreams)}},
		{`INSERT INTO customer_stream_owners (customer_id, site_id) SELECT * FROM unnest($1::bigint[], $2::bigint[]) ON CONFLICT DO NOTHING`,
			[]any{pq.Array(b.ownerCustomers), pq.Array(b.ownerSites)}},
		{`INSERT INTO customer_stream_emails (customer_id, email) SELECT * FROM unnest($1::bigint[], $2::text[]) ON CONFLICT DO NOTHING`,
			[]any{pq.Array(b.emailCustomers), pq.Array(b.emails)}},
		{`INSERT INTO newsletter_stream_emails (site_id, email, stream) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[])
			ON CONFLICT DO NOTHING`, []any{pq.Array(b.newsletterSites), pq.Array(b.newsletterEmails), pq.Array(b.newsletterRefs)}},
		{`INSERT INTO customer_streams (customer_id, stream)
			SELECT e.customer_id, n.stream FROM customer_stream_emails e
			JOIN customer_stream_owners o ON o.customer_id = e.customer_id
			JOIN newsletter_stream_emails n ON n.site_id = o.site_id AND n.email = e.email
			WHERE e.email = ANY($1::text[]) ON CONFLICT DO NOTHING`, []any{pq.Array(append(b.emails, b.newsletterEmails...))}},
	}
	for _, s := range statements {
		if _, err := tx.ExecContext(ctx, s.sql, s.args...); err != nil {
			return fmt.Errorf("index a batch of %d streams: %w", len(b.streams), err)
		}
	}
	return nil
}
