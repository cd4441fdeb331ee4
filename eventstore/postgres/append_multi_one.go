package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// insertMultiAfterQuery is the fast path of a multi-stream append whose every part expects no stream or an
// exact revision: one autocommit INSERT of every part's events, written only when every part's guard holds
// (its expected revision is in the stream, or it expects no stream), the unique (stream_id, revision) key
// refusing a revision already taken. $1/$2 are the parts' streams and the revisions their events follow (-1
// for a new stream); $3… are the events flattened, in the order of their stream names, each with the
// revision it takes. One statement instead of BEGIN, one INSERT per stream and COMMIT: 2 + n round trips
// fewer, and still one commit.
//
// Every array is read through a scalar subquery on purpose: the planner then estimates the same rows for
// any array, so the prepared statement settles on its generic plan. Unnested directly, a custom plan (its
// arrays' real, small lengths) always looks cheaper than the generic one (a default of 100 rows, each
// probing the index) and the statement is planned again on every execution, which costs more than the
// round trips it saves.
const insertMultiAfterQuery = `WITH guards AS (
    SELECT count(*) AS held
      FROM unnest((SELECT $1::text[]), (SELECT $2::bigint[])) AS g(stream, after)
     WHERE g.after < 0 OR EXISTS (SELECT 1 FROM events WHERE stream_id = g.stream AND revision = g.after))
INSERT INTO events (stream_id, revision, event_id, event_type, data, metadata)
SELECT b.stream, b.revision, b.id, b.type, b.data, b.metadata
  FROM unnest((SELECT $3::text[]), (SELECT $4::bigint[]), (SELECT $5::uuid[]), (SELECT $6::text[]),
              (SELECT $7::bytea[]), (SELECT $8::bytea[]))
       WITH ORDINALITY AS b(stream, revision, id, type, data, metadata, ord)
 WHERE (SELECT held FROM guards) = cardinality($1::text[])
 ORDER BY b.ord
RETURNING stream_id, revision, tx_id, seq`

// multiColumns are the parameters of insertMultiAfterQuery.
type multiColumns struct {
	streams        textArray
	afters         pq.Int64Array
	eventStreams   textArray
	revisions      pq.Int64Array
	ids, types     textArray
	data, metadata byteaArray
}

// names lists every part's stream for an error of the one statement: the server does not say which part
// failed, so naming only one stream would point at the wrong one as often as not.
func (c multiColumns) names() string {
	return strings.Join(c.streams, ", ")
}

// appendMultiInOne tries AppendMulti as one statement (insertMultiAfterQuery). inserted is false, and
// nothing was written, when the parts do not all qualify (an Any or StreamExists part, a part without
// events) or when a guard did not hold: the caller then runs the transaction, whose pelcro_append tells a
// retry of a landed append and a wrong revision apart. A lost race returns an error wrapping
// errAppendRaced.
//
// Warning: the rows are inserted in the order of their stream names, as appendMultiOnce takes them, so that
// two multi-stream appends over the same streams queue on the unique key instead of deadlocking. The
// visibility fence (fence.go) holds because the statement's only write is this INSERT into events.
func (s *Store) appendMultiInOne(ctx context.Context, appends []eventstore.StreamAppend) (
	results []eventstore.AppendResult, inserted bool, err error) {
	cols, ok, err := multiAppendColumns(appends)
	if !ok || err != nil {
		return nil, false, err
	}
	stmt, err := s.stmts.get(ctx, insertMultiAfterQuery)
	if err != nil {
		return nil, false, fmt.Errorf("eventstore/postgres: prepare a multi-stream append: %w", err)
	}
	rows, err := stmt.QueryContext(ctx, cols.streams, cols.afters, cols.eventStreams, cols.revisions, cols.ids,
		cols.types, cols.data, cols.metadata)
	if err != nil {
		return nil, false, appendError(cols.names(), err)
	}
	defer rows.Close()
	last := make(map[string]eventstore.AppendResult, len(appends))
	for rows.Next() {
		var stream string
		var revision, txID, seq int64
		if err := rows.Scan(&stream, &revision, &txID, &seq); err != nil {
			return nil, false, appendError(cols.names(), err)
		}
		if uint64(revision) >= last[stream].NextRevision {
			last[stream] = eventstore.AppendResult{NextRevision: uint64(revision),
				Position: eventstore.Position{Commit: uint64(txID), Prepare: uint64(seq)}}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, false, appendError(cols.names(), err)
	}
	if len(last) == 0 {
		return nil, false, nil
	}
	results = make([]eventstore.AppendResult, len(appends))
	for i, a := range appends {
		results[i] = last[a.Stream]
	}
	return results, true, nil
}

// multiAppendColumns flattens appends into insertMultiAfterQuery's parameters, in the order of their stream
// names. ok is false when a part cannot take the fast path: it expects any revision or an existing stream
// (pelcro_append decides those), or it has no events (an append that only checks its revision).
func multiAppendColumns(appends []eventstore.StreamAppend) (cols multiColumns, ok bool, err error) {
	events := 0
	for _, a := range appends {
		events += len(a.Events)
	}
	cols = multiColumns{streams: make(textArray, 0, len(appends)), afters: make(pq.Int64Array, 0, len(appends)),
		eventStreams: make(textArray, 0, events), revisions: make(pq.Int64Array, 0, events),
		ids: make(textArray, 0, events), types: make(textArray, 0, events),
		data: make(byteaArray, 0, events), metadata: make(byteaArray, 0, events)}
	if !oneStatementParts(appends) {
		return cols, false, nil // the transaction decides, and reports a bad expected revision
	}
	for _, i := range byStreamName(appends) {
		a := appends[i]
		code, _ := expectedCode(a.Expected) // valid: oneStatementParts checked it
		ids, types, data, metadata, err := appendColumns(a.Events)
		if err != nil {
			return cols, false, err
		}
		after := max(code, -1) // the revision the part follows: -1 before a new stream's first event
		cols.streams, cols.afters = append(cols.streams, a.Stream), append(cols.afters, after)
		for k := range ids {
			cols.eventStreams = append(cols.eventStreams, a.Stream)
			cols.revisions = append(cols.revisions, after+1+int64(k))
		}
		cols.ids, cols.types = append(cols.ids, ids...), append(cols.types, types...)
		cols.data, cols.metadata = append(cols.data, data...), append(cols.metadata, metadata...)
	}
	return cols, true, nil
}
