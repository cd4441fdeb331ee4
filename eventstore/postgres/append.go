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

const appendQuery = `SELECT outcome, actual, last_revision, last_tx_id, last_seq
FROM pelcro_append($1, $2, $3::uuid[], $4::text[], $5::bytea[], $6::bytea[])`

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
	stmt, err := s.stmts.get(ctx, appendQuery)
	if err != nil {
		return eventstore.AppendResult{}, fmt.Errorf("eventstore/postgres: prepare append: %w", err)
	}
	res, err := retryRaces(func() (eventstore.AppendResult, error) {
		return appendWith(ctx, stmt, stream, expected, events)
	})
	if err == nil && len(events) > 0 {
		s.committed()
	}
	return res, err
}

// retryRaces runs an append attempt again while it loses unique-key races, at most maxAppendAttempts times.
func retryRaces(attempt func() (eventstore.AppendResult, error)) (eventstore.AppendResult, error) {
	for i := 1; ; i++ {
		res, err := attempt()
		if !errors.Is(err, errAppendRaced) || i == maxAppendAttempts {
			return res, err
		}
	}
}

// appendWith runs one attempt of an append through stmt: the Store's prepared statement for an autocommit
// append, or that statement bound to a transaction (tx.StmtContext) whose commit the caller controls. A lost
// race returns an error wrapping errAppendRaced; inside a transaction that error has aborted it.
func appendWith(ctx context.Context, stmt *sql.Stmt, stream string, expected eventstore.ExpectedRevision, events []eventstore.EventData) (eventstore.AppendResult, error) {
	code, err := expectedCode(expected)
	if err != nil {
		return eventstore.AppendResult{}, err
	}
	ids, types, data, metadata, err := appendColumns(events)
	if err != nil {
		return eventstore.AppendResult{}, err
	}
	var (
		outcome        string
		actual         sql.NullInt64
		lastRevision   sql.NullInt64
		lastTx, lastSq sql.NullInt64
	)
	err = stmt.QueryRowContext(ctx, stream, code, ids, types, data, metadata).
		Scan(&outcome, &actual, &lastRevision, &lastTx, &lastSq)
	if err != nil {
		var pqErr *pq.Error
		if errors.As(err, &pqErr) && pqErr.Code == "23505" {
			return eventstore.AppendResult{}, fmt.Errorf("%w: %v", errAppendRaced, err)
		}
		return eventstore.AppendResult{}, fmt.Errorf("eventstore/postgres: append to %s: %w", stream, err)
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
func appendColumns(events []eventstore.EventData) (ids, types pq.StringArray, data, metadata byteaArray, err error) {
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
