package customerstreams

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/projections"
)

// newsletterRow is one newsletter_stream_emails row of a run. isNew: the event that named it first in the
// run is its stream's first (revision 0).
type newsletterRow struct {
	newsletterEmail
	isNew bool
}

// flush writes the run: positions, direct links, sites, both sides' emails, then the links of every pair of
// emails the run touched (a pair of two older emails was linked when its second side arrived).
//
// The rows of customer_stream_positions and newsletter_stream_emails are written only by events of their
// own stream, so a row first named in the run by its stream's first event (revision 0) cannot be in the
// table yet: those go in with one COPY each (CopyRows) when there are at least MinRowsToCopy of them, the
// others through the conflict-checked statements as before. A replay's pages are nearly all such rows.
//
// Warning: that holds only while the log never holds two revisions 0 of one stream (the store has no
// deletion) and rows of these tables come from no other writer; a row there after all makes the batch fail
// on the unique key, never skip, as with newsletters.v1's COPY.
func (b *batch) flush(ctx context.Context, tx *sqlx.Tx) error {
	if len(b.streams) == 0 {
		return nil
	}
	if err := b.writePositions(ctx, tx); err != nil {
		return err
	}
	if err := b.writeNewsletterEmails(ctx, tx); err != nil {
		return err
	}
	emails := b.emails
	for _, n := range b.newsletters {
		emails = append(emails, n.email)
	}
	statements := []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO customer_streams (customer_id, stream) SELECT * FROM unnest($1::bigint[], $2::text[]) ON CONFLICT DO NOTHING`,
			[]any{pq.Array(b.linkCustomers), pq.Array(b.linkStreams)}},
		{`INSERT INTO customer_stream_owners (customer_id, site_id) SELECT * FROM unnest($1::bigint[], $2::bigint[]) ON CONFLICT DO NOTHING`,
			[]any{pq.Array(b.ownerCustomers), pq.Array(b.ownerSites)}},
		{`INSERT INTO customer_stream_emails (customer_id, email) SELECT * FROM unnest($1::bigint[], $2::text[]) ON CONFLICT DO NOTHING`,
			[]any{pq.Array(b.emailCustomers), pq.Array(b.emails)}},
		{`INSERT INTO customer_streams (customer_id, stream)
			SELECT e.customer_id, n.stream FROM customer_stream_emails e
			JOIN customer_stream_owners o ON o.customer_id = e.customer_id
			JOIN newsletter_stream_emails n ON n.site_id = o.site_id AND n.email = e.email
			WHERE e.email = ANY($1::text[]) ON CONFLICT DO NOTHING`, []any{pq.Array(emails)}},
	}
	for _, s := range statements {
		if _, err := tx.ExecContext(ctx, s.sql, s.args...); err != nil {
			return fmt.Errorf("index a batch of %d streams: %w", len(b.streams), err)
		}
	}
	return nil
}

// writePositions writes the first and last positions of the run's streams: COPY for the streams the run
// starts (see flush), an upsert that only moves the last position forwards for the others.
func (b *batch) writePositions(ctx context.Context, tx *sqlx.Tx) error {
	var started, others []string
	for _, s := range b.streams {
		if b.first[s].Revision == 0 {
			started = append(started, s)
		} else {
			others = append(others, s)
		}
	}
	if len(started) < projections.MinRowsToCopy {
		others, started = append(others, started...), nil
	}
	var firstCommit, firstPrepare, lastCommit, lastPrepare []string
	for _, s := range others {
		f, l := b.first[s].Position, b.last[s].Position
		firstCommit, firstPrepare = append(firstCommit, decimal(f.Commit)), append(firstPrepare, decimal(f.Prepare))
		lastCommit, lastPrepare = append(lastCommit, decimal(l.Commit)), append(lastPrepare, decimal(l.Prepare))
	}
	if len(others) > 0 {
		_, err := tx.ExecContext(ctx, `INSERT INTO customer_stream_positions AS p (stream, first_commit, first_prepare, last_commit, last_prepare)
			SELECT s, fc::numeric, fp::numeric, lc::numeric, lp::numeric FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(s, fc, fp, lc, lp)
			ON CONFLICT (stream) DO UPDATE SET last_commit = EXCLUDED.last_commit, last_prepare = EXCLUDED.last_prepare
			WHERE (p.last_commit, p.last_prepare) < (EXCLUDED.last_commit, EXCLUDED.last_prepare)`,
			pq.Array(others), pq.Array(firstCommit), pq.Array(firstPrepare), pq.Array(lastCommit), pq.Array(lastPrepare))
		if err != nil {
			return fmt.Errorf("record the positions of %d streams: %w", len(others), err)
		}
	}
	return projections.CopyRows(ctx, tx, "customer_stream_positions",
		[]string{"stream", "first_commit", "first_prepare", "last_commit", "last_prepare"}, len(started), func(i int) []any {
			f, l := b.first[started[i]].Position, b.last[started[i]].Position
			return []any{started[i], decimal(f.Commit), decimal(f.Prepare), decimal(l.Commit), decimal(l.Prepare)}
		})
}

// writeNewsletterEmails writes the run's newsletter entry emails: COPY for the rows their stream's first
// event names (see flush), an insert that skips rows already there for the others.
func (b *batch) writeNewsletterEmails(ctx context.Context, tx *sqlx.Tx) error {
	var fresh, others []newsletterEmail
	for _, n := range b.newsletters {
		if n.isNew {
			fresh = append(fresh, n.newsletterEmail)
		} else {
			others = append(others, n.newsletterEmail)
		}
	}
	if len(fresh) < projections.MinRowsToCopy {
		others, fresh = append(others, fresh...), nil
	}
	if len(others) > 0 {
		sites, emails, streams := make([]int64, len(others)), make([]string, len(others)), make([]string, len(others))
		for i, n := range others {
			sites[i], emails[i], streams[i] = n.siteID, n.email, n.stream
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO newsletter_stream_emails (site_id, email, stream)
			SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
			pq.Array(sites), pq.Array(emails), pq.Array(streams))
		if err != nil {
			return fmt.Errorf("record %d newsletter emails: %w", len(others), err)
		}
	}
	return projections.CopyRows(ctx, tx, "newsletter_stream_emails", []string{"site_id", "email", "stream"}, len(fresh),
		func(i int) []any { return []any{fresh[i].siteID, fresh[i].email, fresh[i].stream} })
}

// decimal spells a position's part as numeric(20,0) reads it.
func decimal(n uint64) string { return strconv.FormatUint(n, 10) }
