package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"

	"github.com/google/uuid"
	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// appendQuery runs pelcro_append, the complete append (see the migration): the fallback of the fast path
// and the path of Any and StreamExists appends.
const appendQuery = `SELECT outcome, actual, last_revision, last_tx_id, last_seq
FROM pelcro_append($1, $2, $3::uuid[], $4::text[], $5::bytea[], $6::bytea[])`

// insertAfterQuery is the fast path of NoStream ($2 = -1) and Exact ($2 = the revision) appends: one INSERT
// of revisions $2+1… that the unique (stream_id, revision) key guards. It writes nothing when an exact
// revision is not in the stream, and fails with a unique violation when the stream already holds $2+1: both
// send the append to pelcro_append, which tells a retry, a wrong version and a lost race apart.
const insertAfterQuery = `WITH inserted AS (
    INSERT INTO events (stream_id, revision, event_id, event_type, data, metadata)
    SELECT $1, $2::bigint + b.ord, b.id, b.type, b.data, b.metadata
      FROM unnest($3::uuid[], $4::text[], $5::bytea[], $6::bytea[]) WITH ORDINALITY AS b(id, type, data, metadata, ord)
     WHERE $2::bigint < 0 OR EXISTS (SELECT 1 FROM events WHERE stream_id = $1 AND revision = $2::bigint)
     ORDER BY b.ord
    RETURNING revision, tx_id, seq)
SELECT revision, tx_id, seq FROM inserted ORDER BY seq DESC LIMIT 1`

// insertOneAfterQuery is insertAfterQuery for the commonest append, a single event, without the arrays: it
// costs about as much as a plain single-row INSERT.
const insertOneAfterQuery = `INSERT INTO events (stream_id, revision, event_id, event_type, data, metadata)
SELECT $1, $2::bigint + 1, $3::uuid, $4, $5::bytea, $6::bytea
 WHERE $2::bigint < 0 OR EXISTS (SELECT 1 FROM events WHERE stream_id = $1 AND revision = $2::bigint)
RETURNING revision, tx_id, seq`

// Expected-revision codes of pelcro_append; an exact revision is passed as itself (>= 0).
const (
	expectedAnyCode          = -1
	expectedNoStreamCode     = -2
	expectedStreamExistsCode = -3
)

// maxAppendAttempts bounds how often an append that lost a race (a concurrent writer took the same revision
// or wrote the same event ids first) is re-run. Each re-run sees the winner's committed rows, so an exact
// expectation resolves on the second attempt; Any and StreamExists appends queue on a per-stream lock inside
// pelcro_append and race only writers that expect an exact revision.
const maxAppendAttempts = 20

// errAppendRaced marks an attempt that lost a unique-key race and may be re-run as a whole.
var errAppendRaced = errors.New("eventstore/postgres: append raced a concurrent writer")

// Append implements eventstore.Store. Events with a zero ID get a random one, like the EventStoreDB client
// does; such events cannot be deduplicated on retry. Appending no events only checks expected and returns the
// stream's last revision (0 when it has none) with a zero position.
func (s *Store) Append(ctx context.Context, stream string, expected eventstore.ExpectedRevision, events ...eventstore.EventData) (eventstore.AppendResult, error) {
	res, err := retryRaces(func(fastPath bool) (eventstore.AppendResult, error) {
		return appendWith(ctx, s.stmts.get, stream, expected, events, fastPath)
	})
	if err == nil && len(events) > 0 {
		s.committed()
	}
	return res, err
}

// statementSource returns the prepared statement of a query: the Store's own for an autocommit append, or one
// bound to a transaction whose commit the caller controls.
type statementSource func(ctx context.Context, query string) (*sql.Stmt, error)

// retryRaces runs an append attempt (of one stream, or of several in one transaction) again while it loses
// unique-key races, at most maxAppendAttempts times. Only the first attempt may take the fast path: a re-run
// goes to pelcro_append, which sees the winner's rows.
func retryRaces[T any](attempt func(fastPath bool) (T, error)) (T, error) {
	for i := 1; ; i++ {
		res, err := attempt(i == 1)
		if !errors.Is(err, errAppendRaced) || i == maxAppendAttempts {
			return res, err
		}
	}
}

// appendWith runs one attempt of an append. NoStream and Exact appends first try insertAfterQuery, one
// INSERT; when it writes nothing, or on any path other than the fast one, pelcro_append decides. A lost race
// returns an error wrapping errAppendRaced; inside a transaction that error has aborted it.
func appendWith(ctx context.Context, stmts statementSource, stream string, expected eventstore.ExpectedRevision, events []eventstore.EventData, fastPath bool) (eventstore.AppendResult, error) {
	code, err := expectedCode(expected)
	if err != nil {
		return eventstore.AppendResult{}, err
	}
	ids, types, data, metadata, err := appendColumns(events)
	if err != nil {
		return eventstore.AppendResult{}, err
	}
	if fastPath && len(events) > 0 && (code >= 0 || code == expectedNoStreamCode) {
		after := max(code, -1) // the revision the batch follows: -1 before a new stream's first event
		query, args := insertAfterQuery, []any{stream, after, ids, types, data, metadata}
		if len(events) == 1 {
			query, args = insertOneAfterQuery, []any{stream, after, ids[0], types[0], data[0], metadata[0]}
		}
		res, inserted, err := insertAfter(ctx, stmts, stream, query, args)
		if inserted || err != nil {
			return res, err
		}
	}
	return appendFull(ctx, stmts, stream, expected, []any{stream, code, ids, types, data, metadata})
}

// insertAfter runs a fast-path query; inserted is false when it wrote nothing and pelcro_append must decide.
func insertAfter(ctx context.Context, stmts statementSource, stream, query string, args []any) (res eventstore.AppendResult, inserted bool, err error) {
	stmt, err := stmts(ctx, query)
	if err != nil {
		return res, false, fmt.Errorf("eventstore/postgres: prepare append: %w", err)
	}
	var revision, txID, seq int64
	err = stmt.QueryRowContext(ctx, args...).Scan(&revision, &txID, &seq)
	if errors.Is(err, sql.ErrNoRows) {
		return res, false, nil
	}
	if err != nil {
		return res, false, appendError(stream, err)
	}
	return eventstore.AppendResult{
		NextRevision: uint64(revision),
		Position:     eventstore.Position{Commit: uint64(txID), Prepare: uint64(seq)},
	}, true, nil
}

// appendFull runs pelcro_append and maps its outcome.
func appendFull(ctx context.Context, stmts statementSource, stream string, expected eventstore.ExpectedRevision, args []any) (eventstore.AppendResult, error) {
	stmt, err := stmts(ctx, appendQuery)
	if err != nil {
		return eventstore.AppendResult{}, fmt.Errorf("eventstore/postgres: prepare append: %w", err)
	}
	var (
		outcome        string
		actual         sql.NullInt64
		lastRevision   sql.NullInt64
		lastTx, lastSq sql.NullInt64
	)
	err = stmt.QueryRowContext(ctx, args...).Scan(&outcome, &actual, &lastRevision, &lastTx, &lastSq)
	if err != nil {
		return eventstore.AppendResult{}, appendError(stream, err)
	}
	switch outcome {
	case "appended", "duplicate":
		return eventstore.AppendResult{
			NextRevision: uint64(max(lastRevision.Int64, 0)),
			Position:     eventstore.Position{Commit: uint64(lastTx.Int64), Prepare: uint64(lastSq.Int64)},
		}, nil
	case "wrong_version":
		wrong := &eventstore.WrongExpectedVersionError{Stream: stream, Expected: expected}
		if actual.Valid {
			revision := uint64(actual.Int64)
			wrong.Actual = &revision
		}
		return eventstore.AppendResult{}, wrong
	}
	return eventstore.AppendResult{}, fmt.Errorf("eventstore/postgres: append to %s: unknown outcome %q", stream, outcome)
}

// appendError marks a unique violation, a deadlock (40P01) and a serialization failure (40001) as a lost
// race (errAppendRaced: the whole attempt, one transaction, runs again) and wraps anything else.
func appendError(stream string, err error) error {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && (pqErr.Code == "23505" || pqErr.Code == "40P01" || pqErr.Code == "40001") {
		return fmt.Errorf("%w: %v", errAppendRaced, err)
	}
	return fmt.Errorf("eventstore/postgres: append to %s: %w", stream, err)
}

// expectedCode encodes an expected revision for pelcro_append.
func expectedCode(expected eventstore.ExpectedRevision) (int64, error) {
	switch {
	case expected.IsNoStream():
		return expectedNoStreamCode, nil
	case expected.IsStreamExists():
		return expectedStreamExistsCode, nil
	}
	if revision, ok := expected.Exact(); ok {
		if revision > math.MaxInt64 {
			return 0, fmt.Errorf("eventstore/postgres: expected revision %d is out of range", revision)
		}
		return int64(revision), nil
	}
	return expectedAnyCode, nil
}

// appendColumns turns a batch into the parallel arrays pelcro_append takes. It rejects a batch that repeats
// an id: the second copy could never be written, and no retry could ever be recognised.
func appendColumns(events []eventstore.EventData) (ids, types textArray, data, metadata byteaArray, err error) {
	seen := make(map[uuid.UUID]struct{}, len(events))
	for _, e := range events {
		id := e.ID
		if id == uuid.Nil {
			id = uuid.New()
		}
		if _, dup := seen[id]; dup {
			return nil, nil, nil, nil, fmt.Errorf("eventstore/postgres: event id %s appears twice in one append", id)
		}
		seen[id] = struct{}{}
		ids = append(ids, id.String())
		types = append(types, e.Type)
		data = append(data, e.Data)
		metadata = append(metadata, e.Metadata)
	}
	return ids, types, data, metadata, nil
}
