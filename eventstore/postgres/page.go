package postgres

import (
	"context"
	"database/sql"
	"strings"

	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// pageQuery reads the next $pageSize rows of $all below the fence $6 (see appendFenceQuery) and returns those the filter keeps plus,
// always, the last row scanned (with matched false when the filter drops it). The position thus advances
// past rows the filter drops, so a subscription that selects few streams never scans the same rows twice.
// scanned numbers the rows scanned, so the last row's value tells whether the page was full. $5, when not
// NULL, is the snapshot a subscription from AllEnd started in: rows it could already see are old, not new.
const pageQuery = `SELECT ` + eventOutput + `, matched, scanned FROM (
    SELECT page.*, row_number() OVER w AS scanned, lead(seq) OVER w IS NULL AS is_last
    FROM (
        SELECT ` + eventColumns + `,
               stream_id NOT LIKE '$%' AND (cardinality($3::text[]) = 0 OR stream_id LIKE ANY ($3::text[]))
               AND NOT coalesce(pg_visible_in_snapshot(tx_id, $5::pg_snapshot), false) AS matched
        FROM events
        WHERE (tx_id, seq) > ($1::xid8, $2::bigint) AND tx_id < $6::xid8
        ORDER BY tx_id, seq
        LIMIT $4
    ) page
    WINDOW w AS (ORDER BY tx_id, seq)
) marked
WHERE matched OR is_last
ORDER BY tx_id, seq`

// page is one step of a subscription through $all.
type page struct {
	events []eventstore.RecordedEvent // the rows the filter keeps, in order
	last   eventstore.Position        // the last row scanned, kept or not; zero when nothing was scanned
	full   bool                       // as many rows were scanned as asked for: more may be readable now
	fence  string                     // the fence it was read below
}

// readPage reads the page after the given position; patterns come from likePatterns; startSnapshot is
// set for subscriptions from AllEnd (see endOfLog).
//
// Subscriptions that ask for the same page at the same time share one query: every projection of a process
// subscribes to the whole log, and an append wakes them all at one position. The page is a pure function of
// its key (position, fence, filter, snapshot): rows below a fence are final. Its events are shared, so
// nobody may change them in place (consumers copy an event before they change it).
func (s *Store) readPage(ctx context.Context, after eventstore.Position, patterns pq.StringArray, startSnapshot sql.NullString) (page, error) {
	fence, err := s.appendFence(ctx)
	if err != nil {
		return page{}, err
	}
	key := strings.Join([]string{after.String(), fence, strings.Join(patterns, "\x00"), startSnapshot.String}, "|")
	shared := s.pages.DoChan(key, func() (any, error) {
		ctx, cancel := context.WithTimeout(s.ctx, fenceTimeout)
		defer cancel()
		return s.queryPage(ctx, after, fence, patterns, startSnapshot)
	})
	select {
	case r := <-shared:
		if r.Err != nil {
			return page{}, r.Err
		}
		return r.Val.(page), nil
	case <-ctx.Done():
		return page{}, ctx.Err()
	}
}

// queryPage runs pageQuery below fence.
func (s *Store) queryPage(ctx context.Context, after eventstore.Position, fence string, patterns pq.StringArray, startSnapshot sql.NullString) (page, error) {
	stmt, err := s.stmts.get(ctx, pageQuery)
	if err != nil {
		return page{}, err
	}
	txID, seq := positionArgs(after)
	rows, err := stmt.QueryContext(ctx, txID, seq, patterns, s.opts.pageSize, startSnapshot, fence)
	if err != nil {
		return page{}, err
	}
	defer rows.Close()
	p := page{fence: fence}
	scanner := newEventScanner()
	for rows.Next() {
		var (
			matched bool
			scanned int
		)
		e, err := scanner.scan(rows, &matched, &scanned)
		if err != nil {
			return page{}, err
		}
		if matched {
			p.events = append(p.events, e)
		}
		p.last = e.Position
		p.full = scanned == s.opts.pageSize
	}
	return p, rows.Err()
}

// likePatterns turns stream prefixes into LIKE patterns, escaping LIKE's wildcards. The result is never nil:
// a NULL array would make every match NULL and drop every event.
func likePatterns(prefixes []string) pq.StringArray {
	escape := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	patterns := pq.StringArray{}
	for _, prefix := range prefixes {
		patterns = append(patterns, escape.Replace(prefix)+"%")
	}
	return patterns
}
