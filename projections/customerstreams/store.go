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
// own stream, so a row first named in the run by its stream's first event (revision 0) is new to the table
// unless the tables are ahead of the checkpoint: those go in with one COPY each when there are at least
// MinRowsToCopy of them (see copyOrUpsert), the others through the conflict-checked statements. A replay's
// pages are nearly all such rows.
//
// Warning: a COPY that meets a row already there is undone and its rows upserted instead
// (projections.CopyAbsentRows), which covers three conditions: the tables ahead of the checkpoint (a
// checkpoint deleted or rewound, or two processes running the projection before its checkpoint row exists),
// a log holding two revisions 0 of one stream (the store has no deletion), and rows of these tables written
// by another writer. Any other error of the COPY still fails the batch.
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
		rows int // the statement writes nothing without rows, and is not sent (a round trip saved)
		sql  string
		args []any
	}{
		{len(b.linkCustomers), `INSERT INTO customer_streams (customer_id, stream) SELECT * FROM unnest($1::bigint[], $2::text[]) ON CONFLICT DO NOTHING`,
			[]any{pq.Array(b.linkCustomers), pq.Array(b.linkStreams)}},
		{len(b.ownerCustomers), `INSERT INTO customer_stream_owners (customer_id, site_id) SELECT * FROM unnest($1::bigint[], $2::bigint[]) ON CONFLICT DO NOTHING`,
			[]any{pq.Array(b.ownerCustomers), pq.Array(b.ownerSites)}},
		{len(b.emails), `INSERT INTO customer_stream_emails (customer_id, email) SELECT * FROM unnest($1::bigint[], $2::text[]) ON CONFLICT DO NOTHING`,
			[]any{pq.Array(b.emailCustomers), pq.Array(b.emails)}},
		{len(emails), `INSERT INTO customer_streams (customer_id, stream)
			SELECT e.customer_id, n.stream FROM customer_stream_emails e
			JOIN customer_stream_owners o ON o.customer_id = e.customer_id
			JOIN newsletter_stream_emails n ON n.site_id = o.site_id AND n.email = e.email
			WHERE e.email = ANY($1::text[]) ON CONFLICT DO NOTHING`, []any{pq.Array(emails)}},
	}
	for _, s := range statements {
		if s.rows == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, s.sql, s.args...); err != nil {
			return fmt.Errorf("index a batch of %d streams: %w", len(b.streams), err)
		}
	}
	return nil
}

// writePositions writes the first and last positions of the run's streams: COPY for the streams the run
// starts (see flush), an upsert that only moves the last position forwards for the others.
func (b *batch) writePositions(ctx context.Context, tx *sqlx.Tx) error {
	position := func(s string) []any {
		f, l := b.first[s].Position, b.last[s].Position
		return []any{s, decimal(f.Commit), decimal(f.Prepare), decimal(l.Commit), decimal(l.Prepare)}
	}
	return copyOrUpsert(ctx, tx, "customer_stream_positions",
		[]string{"stream", "first_commit", "first_prepare", "last_commit", "last_prepare"}, b.streams,
		func(s string) bool { return b.first[s].Revision == 0 }, position,
		`INSERT INTO customer_stream_positions AS p (stream, first_commit, first_prepare, last_commit, last_prepare)
			SELECT s, fc::numeric, fp::numeric, lc::numeric, lp::numeric FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(s, fc, fp, lc, lp)
			ON CONFLICT (stream) DO UPDATE SET last_commit = EXCLUDED.last_commit, last_prepare = EXCLUDED.last_prepare
			WHERE (p.last_commit, p.last_prepare) < (EXCLUDED.last_commit, EXCLUDED.last_prepare)`)
}

// writeNewsletterEmails writes the run's newsletter entry emails: COPY for the rows their stream's first
// event names (see flush), an insert that skips rows already there for the others.
func (b *batch) writeNewsletterEmails(ctx context.Context, tx *sqlx.Tx) error {
	return copyOrUpsert(ctx, tx, "newsletter_stream_emails", []string{"site_id", "email", "stream"}, b.newsletters,
		func(n newsletterRow) bool { return n.isNew },
		func(n newsletterRow) []any { return []any{n.siteID, n.email, n.stream} },
		`INSERT INTO newsletter_stream_emails (site_id, email, stream)
			SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`)
}

// copyOrUpsert writes rows into table: those isNew says are new with one COPY when there are at least
// MinRowsToCopy of them, the others (and the new ones, when they are fewer or a row was there after all)
// with upsert, whose parameter i is the array of every row's values(row)[i], one array per column.
//
// Warning: upsert must leave what the COPY would on a table without the rows, and change nothing a row
// already there holds that the COPY would have written the same: the fallback relies on it.
func copyOrUpsert[R any](ctx context.Context, tx *sqlx.Tx, table string, columns []string, rows []R,
	isNew func(R) bool, values func(R) []any, upsert string) error {
	var fresh, others []R
	for _, r := range rows {
		if isNew(r) {
			fresh = append(fresh, r)
		} else {
			others = append(others, r)
		}
	}
	if len(fresh) >= projections.MinRowsToCopy {
		copied, err := projections.CopyAbsentRows(ctx, tx, table, columns, len(fresh), func(i int) []any { return values(fresh[i]) })
		if err != nil {
			return err
		}
		if copied {
			fresh = nil
		}
	}
	if others = append(others, fresh...); len(others) == 0 {
		return nil
	}
	arrays := make([][]any, len(columns))
	for _, r := range others {
		for i, v := range values(r) {
			arrays[i] = append(arrays[i], v)
		}
	}
	args := make([]any, len(columns))
	for i, a := range arrays {
		args[i] = pq.Array(a)
	}
	if _, err := tx.ExecContext(ctx, upsert, args...); err != nil {
		return fmt.Errorf("write %d rows of %s: %w", len(others), table, err)
	}
	return nil
}

// decimal spells a position's part as numeric(20,0) reads it.
func decimal(n uint64) string { return strconv.FormatUint(n, 10) }
