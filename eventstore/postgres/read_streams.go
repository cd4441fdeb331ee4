package postgres

import (
	"context"
	"fmt"
	"math"

	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

var _ eventstore.StreamsReader = (*Store)(nil)

// readStreamsQuery reads each stream of $1 forwards from the revision at the same place in $2, at most the
// limit at that place in $3 events, in one statement: one snapshot, read by the same index as
// readForwardsQuery, read by read in the order given.
const readStreamsQuery = `SELECT ` + eventOutput + `, r.n FROM unnest($1::text[], $2::bigint[], $3::int[])
	WITH ORDINALITY AS r(want_stream, from_revision, want_limit, n)
CROSS JOIN LATERAL (SELECT * FROM events WHERE stream_id = r.want_stream AND revision >= r.from_revision
	ORDER BY revision LIMIT r.want_limit) e
ORDER BY r.n, e.revision`

// ReadStreams implements eventstore.StreamsReader. Like ReadStream it reads the latest committed state,
// without the $all fence.
func (s *Store) ReadStreams(ctx context.Context, reads []eventstore.StreamRead) ([][]eventstore.RecordedEvent, error) {
	streams, froms, limits := make([]string, len(reads)), make([]int64, len(reads)), make([]int64, len(reads))
	for i, r := range reads {
		if r.Limit <= 0 {
			return nil, fmt.Errorf("eventstore/postgres: read %s: limit %d must be positive", r.Stream, r.Limit)
		}
		streams[i], froms[i], limits[i] = r.Stream, int64(min(r.From, math.MaxInt64)), int64(min(r.Limit, math.MaxInt32))
	}
	stmt, err := s.stmts.get(ctx, readStreamsQuery)
	if err != nil {
		return nil, err
	}
	rows, err := stmt.QueryContext(ctx, pq.Array(streams), pq.Array(froms), pq.Array(limits))
	if err != nil {
		return nil, fmt.Errorf("eventstore/postgres: read %d streams: %w", len(reads), err)
	}
	defer rows.Close()
	out := make([][]eventstore.RecordedEvent, len(reads))
	for i := range out {
		out[i] = []eventstore.RecordedEvent{}
	}
	scanner := newEventScanner()
	for rows.Next() {
		var n int
		e, err := scanner.scan(rows, &n)
		if err != nil {
			return nil, fmt.Errorf("eventstore/postgres: read %d streams: %w", len(reads), err)
		}
		out[n-1] = append(out[n-1], e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("eventstore/postgres: read %d streams: %w", len(reads), err)
	}
	return out, nil
}
