// Package customerstreams keeps the index the operator's audit timeline reads (migration 00060): for every
// customer, the names of the streams that hold their history. The timeline then reads those few streams
// instead of scanning the whole log, however long the log grows.
//
// A customer's streams are their own (customer-<id>), their sign-in records (customer_signins-<id>), their
// wallet (wallet-<id>), each invoice opened for them (invoice-<id>), each subscription and order of
// theirs (subscription-<id>, order-<id>), and the newsletter entries of every email
// they had on their site: a newsletter entry knows no customer, only a site and an email, so the index keeps
// both sides' emails and links whichever comes second. Emails are personal data: customer.erased deletes the
// customer's, newsletter.erased the entry's (the stream names, keyed hashes, stay), and each erasure also
// deletes the links between customers and newsletter entries that the erased emails made. A rebuild reads
// erased emails as empty and could not make those links again, so a live index that kept them would differ
// from its own rebuild. Every other link names the customer by id and stays.
//
// customer_stream_positions keeps the first and last position of every such stream, moved by every event of
// it, so a timeline page reads only the streams whose events can be on it (see operator.Timeline).
//
// Every write is idempotent (ON CONFLICT DO NOTHING, a delete, or a last position that only moves forwards),
// so a redelivered event changes nothing. A batch COPYs the rows of the streams it starts, which makes no
// conflict check; when the tables are ahead of the checkpoint and a COPY meets a row already there, the batch
// undoes that COPY alone and writes its rows through the conflict-checked statements (see flush).
package customerstreams

import (
	"context"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// Name is the projection's name and checkpoint key. Warning: changing it replays the whole log into the same
// tables (see projections.Projection.Name); bump it only together with fresh tables.
const Name = "customer_streams.v1"

// Projection keeps customer_streams, the first and last positions of those streams, and the email tables that
// link newsletter entries to customers.
func Projection() projections.Projection {
	return projections.Projection{
		Name: Name,
		Tables: []string{"customer_streams", "customer_stream_positions", "customer_stream_owners", "customer_stream_emails",
			"newsletter_stream_emails"},
		Handlers: handlers(),
		Batch:    applyBatch,
	}
}

// applyRegistered records the customer's stream, site and email, and links the newsletter entries of that
// email seen before.
func applyRegistered(ctx context.Context, tx *sqlx.Tx, e projections.Event[customer.Registered]) error {
	d := e.Data
	if err := link(ctx, tx, d.CustomerID, e.Stream); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO customer_stream_owners (customer_id, site_id) VALUES ($1, $2)
		ON CONFLICT DO NOTHING`, d.CustomerID, d.SiteID); err != nil {
		return fmt.Errorf("record the site of customer %d: %w", d.CustomerID, err)
	}
	return addEmail(ctx, tx, d.CustomerID, d.Email)
}

// applyEmailChanged records the new email and links its newsletter entries.
func applyEmailChanged(ctx context.Context, tx *sqlx.Tx, e projections.Event[customer.EmailChanged]) error {
	return addEmail(ctx, tx, e.Data.CustomerID, e.Data.Email)
}

// applyLoggedIn records the customer's sign-in stream (the event may also sit in their own stream).
func applyLoggedIn(ctx context.Context, tx *sqlx.Tx, e projections.Event[customer.LoggedIn]) error {
	return link(ctx, tx, e.Data.CustomerID, e.Stream)
}

// applyErased forgets the customer's emails and the newsletter entries they linked; the customer's other
// streams stay theirs.
func applyErased(ctx context.Context, tx *sqlx.Tx, e projections.Event[customer.Erased]) error {
	return Forget(ctx, tx, e.Data.CustomerID)
}

// newsletterStreams matches the streams of newsletter entries, the only ones linked through an email.
const newsletterStreams = "newsletter-%"

// Forget deletes the emails of a customer and their links to newsletter entries at once, for `pelcro
// customers erase`, which does not wait for the projection to apply customer.erased. Warning: the link
// deletion is what keeps the live index equal to its rebuild (see the package doc); keep both statements.
func Forget(ctx context.Context, db sqlx.ExecerContext, customerID int64) error {
	if _, err := db.ExecContext(ctx, `WITH emails AS (DELETE FROM customer_stream_emails WHERE customer_id = $1)
		DELETE FROM customer_streams WHERE customer_id = $1 AND stream LIKE $2`, customerID, newsletterStreams); err != nil {
		return fmt.Errorf("forget the emails of customer %d: %w", customerID, err)
	}
	return nil
}

// Addresses returns the site of a customer and every email they had on it (normalised), as the index keeps
// them until Forget: `pelcro customers erase` reads them first, to delete the mail others sent to them.
func Addresses(ctx context.Context, q sqlx.QueryerContext, customerID int64) (siteID int64, emails []string, err error) {
	var rows []struct {
		SiteID int64  `db:"site_id"`
		Email  string `db:"email"`
	}
	if err := sqlx.SelectContext(ctx, q, &rows, `SELECT o.site_id, e.email FROM customer_stream_owners o
		JOIN customer_stream_emails e ON e.customer_id = o.customer_id WHERE o.customer_id = $1`, customerID); err != nil {
		return 0, nil, fmt.Errorf("the emails of customer %d: %w", customerID, err)
	}
	for _, r := range rows {
		siteID, emails = r.SiteID, append(emails, r.Email)
	}
	return siteID, emails, nil
}

// ForgetNewsletter deletes the email of a site's newsletter entry, and the entry's links to customers, at
// once, for `pelcro newsletter erase`.
func ForgetNewsletter(ctx context.Context, db sqlx.ExecerContext, siteID int64, email string) error {
	if _, err := db.ExecContext(ctx, `WITH gone AS (
			DELETE FROM newsletter_stream_emails WHERE site_id = $1 AND email = $2 RETURNING stream)
		DELETE FROM customer_streams WHERE stream IN (SELECT stream FROM gone)`, siteID, normalised(email)); err != nil {
		return fmt.Errorf("forget a newsletter email of site %d: %w", siteID, err)
	}
	return nil
}

// streamOf links the event's stream to the customer customerOf names.
func streamOf[E any](customerOf func(E) int64) projections.ApplyFunc[E] {
	return func(ctx context.Context, tx *sqlx.Tx, e projections.Event[E]) error {
		return link(ctx, tx, customerOf(e.Data), e.Stream)
	}
}

// applyNewsletter records the entry's email and links its stream to every customer of the site who had it.
// An erased entry reads with an empty email and links nothing.
func applyNewsletter[E any](entryOf func(E) (siteID int64, email string)) projections.ApplyFunc[E] {
	return func(ctx context.Context, tx *sqlx.Tx, e projections.Event[E]) error {
		siteID, email := entryOf(e.Data)
		email = normalised(email)
		if email == "" {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO newsletter_stream_emails (site_id, email, stream) VALUES ($1, $2, $3)
			ON CONFLICT DO NOTHING`, siteID, email, e.Stream); err != nil {
			return fmt.Errorf("record newsletter stream %s: %w", e.Stream, err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO customer_streams (customer_id, stream)
			SELECT e.customer_id, $3 FROM customer_stream_emails e
			JOIN customer_stream_owners o ON o.customer_id = e.customer_id
			WHERE e.email = $2 AND o.site_id = $1
			ON CONFLICT DO NOTHING`, siteID, email, e.Stream)
		if err != nil {
			return fmt.Errorf("link newsletter stream %s: %w", e.Stream, err)
		}
		return nil
	}
}

// applyNewsletterErased forgets the entry's email and its links to customers, which that email made.
func applyNewsletterErased(ctx context.Context, tx *sqlx.Tx, e projections.Event[newsletter.Erased]) error {
	if _, err := tx.ExecContext(ctx, `WITH emails AS (DELETE FROM newsletter_stream_emails WHERE stream = $1)
		DELETE FROM customer_streams WHERE stream = $1`, e.Stream); err != nil {
		return fmt.Errorf("forget the email of newsletter stream %s: %w", e.Stream, err)
	}
	return nil
}

// addEmail records one more email of the customer and links the newsletter entries of that email on the
// customer's site. An empty email (erased, or read after erasure) is skipped.
func addEmail(ctx context.Context, tx *sqlx.Tx, customerID int64, email string) error {
	email = normalised(email)
	if email == "" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO customer_stream_emails (customer_id, email) VALUES ($1, $2)
		ON CONFLICT DO NOTHING`, customerID, email); err != nil {
		return fmt.Errorf("record an email of customer %d: %w", customerID, err)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO customer_streams (customer_id, stream)
		SELECT $1, n.stream FROM newsletter_stream_emails n
		JOIN customer_stream_owners o ON o.customer_id = $1 AND o.site_id = n.site_id
		WHERE n.email = $2
		ON CONFLICT DO NOTHING`, customerID, email)
	if err != nil {
		return fmt.Errorf("link the newsletter entries of customer %d: %w", customerID, err)
	}
	return nil
}

// link records that stream holds history of the customer.
func link(ctx context.Context, tx *sqlx.Tx, customerID int64, stream string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO customer_streams (customer_id, stream) VALUES ($1, $2)
		ON CONFLICT DO NOTHING`, customerID, stream); err != nil {
		return fmt.Errorf("link stream %s to customer %d: %w", stream, customerID, err)
	}
	return nil
}

// normalised is an email as newsletter entries key it: trimmed and in lower case.
func normalised(email string) string { return strings.ToLower(strings.TrimSpace(email)) }
