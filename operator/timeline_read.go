package operator

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// streamHead is one stream of a customer as the index knows it: the positions of its first and last events
// (known false when the index has no positions for it).
type streamHead struct {
	stream      string
	first, last eventstore.Position
	known       bool
}

// customerStreams reads the customer's streams, by name, with their positions, in one statement: the page
// lists them all and reads the newest of them. Each stream's positions are one primary-key lookup (a LATERAL
// subquery kept apart by OFFSET 0), so the rows come in the order of the customer_streams key with no sort,
// and the cost follows the customer's streams, never the size of the index. A page used to run two
// statements here, the second a hash join and a sort of all the customer's positions.
func (o *Operator) customerStreams(ctx context.Context, customerID int64) ([]streamHead, error) {
	rows, err := o.DB.QueryContext(ctx, `SELECT s.stream, p.first_commit, p.first_prepare, p.last_commit, p.last_prepare
		FROM customer_streams s LEFT JOIN LATERAL (SELECT * FROM customer_stream_positions p WHERE p.stream = s.stream OFFSET 0) p ON true
		WHERE s.customer_id = $1 ORDER BY s.stream`, customerID)
	if err != nil {
		return nil, fmt.Errorf("operator: streams of customer %d: %w", customerID, err)
	}
	defer func() { _ = rows.Close() }()
	var heads []streamHead
	for rows.Next() {
		var h streamHead
		var first, firstPrepare, last, lastPrepare sql.Null[uint64]
		if err := rows.Scan(&h.stream, &first, &firstPrepare, &last, &lastPrepare); err != nil {
			return nil, fmt.Errorf("operator: streams of customer %d: %w", customerID, err)
		}
		h.first, h.last = eventstore.Position{Commit: first.V, Prepare: firstPrepare.V}, eventstore.Position{Commit: last.V, Prepare: lastPrepare.V}
		h.known = first.Valid && firstPrepare.Valid && last.Valid && lastPrepare.Valid
		heads = append(heads, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("operator: streams of customer %d: %w", customerID, err)
	}
	return heads, nil
}

// pageCandidates reads, newest first, the events that may be on the page after at: up to limit of each
// stream that can hold one, in the order of their last events, until the streams left are all older than the
// limit-th newest event read. complete is false when events older than those read may remain.
func (o *Operator) pageCandidates(ctx context.Context, all []streamHead, at cursorState, limit int) (read []eventstore.RecordedEvent, complete bool, err error) {
	heads := make([]streamHead, 0, len(all))
	for _, h := range all {
		if h.known && (at.Before == nil || h.first.Compare(*at.Before) < 0) {
			heads = append(heads, h)
		}
	}
	slices.SortFunc(heads, func(a, b streamHead) int { return b.last.Compare(a.last) })
	complete = true
	for _, h := range heads {
		if len(read) >= limit && h.last.Compare(read[limit-1].Position) < 0 {
			return read, false, nil
		}
		from, ok := at.Next[h.stream]
		if !ok {
			from = fromEnd
		}
		events, err := o.readBack(ctx, h.stream, from, limit)
		if err != nil {
			return nil, false, err
		}
		complete = complete && len(events) < limit
		for _, ev := range events {
			if at.Before == nil || ev.Position.Compare(*at.Before) < 0 {
				read = append(read, ev)
			}
		}
		slices.SortFunc(read, func(a, b eventstore.RecordedEvent) int { return b.Position.Compare(a.Position) })
	}
	return read, complete, nil
}
