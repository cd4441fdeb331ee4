package main

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/google/uuid"
	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// The payload of every benchmark event: a realistic small domain event and its metadata.
var (
	payload  = []byte(`{"customer_id":1234567,"site_id":42,"email":"reader@example.com","first_name":"Ada","last_name":"Lovelace","language":"en","occurred_at":"2026-11-21T15:00:00Z","marketing_consent":true,"source":"web"}`)
	metadata = []byte(`{"schema_version":1,"correlation_id":"6f1c1b1e-4d5a-4f0e-9b1a-2f9d8c7b6a51","command_id":"0b5f7e6d-1c2b-4a39-8e7d-6c5b4a392817","site_id":"42"}`)
)

// streams numbers the streams benchmark operations write, so no two operations of a run share one.
var streams atomic.Int64

func newStreamName() string { return fmt.Sprintf("bench-%d", streams.Add(1)) }

func events(n int) []eventstore.EventData {
	out := make([]eventstore.EventData, n)
	for i := range out {
		out[i] = eventstore.EventData{ID: uuid.New(), Type: "bench.recorded", Data: payload, Metadata: metadata}
	}
	return out
}

// storeAppend appends batch events to a new stream per call, the shape of a command creating an aggregate.
func (e *environment) storeAppend(batch int) operation {
	return func(ctx context.Context) (int, error) {
		_, err := e.Store.Append(ctx, newStreamName(), eventstore.NoStream(), events(batch)...)
		return batch, err
	}
}

// Raw baseline statements, prepared like the store's own so both sides pay one round trip per write.
const (
	rawInsertOne = `INSERT INTO raw_events (stream_id, revision, event_id, event_type, data, metadata)
		VALUES ($1, 0, $2, 'bench.recorded', $3, $4)`
	rawInsertMany = `INSERT INTO raw_events (stream_id, revision, event_id, event_type, data, metadata)
		SELECT $1, r, i::uuid, 'bench.recorded', d, m FROM unnest($2::bigint[], $3::text[], $4::bytea[], $5::bytea[]) AS t(r, i, d, m)`
)

// rawInsert inserts batch rows of the same payload in one statement and one transaction: a single-row
// INSERT for batch 1, a multi-row INSERT (unnest of arrays) otherwise.
func (e *environment) rawInsert(ctx context.Context, batch int) (operation, error) {
	if batch == 1 {
		stmt, err := e.DB.PrepareContext(ctx, rawInsertOne)
		return func(ctx context.Context) (int, error) {
			_, err := stmt.ExecContext(ctx, newStreamName(), uuid.NewString(), payload, metadata)
			return 1, err
		}, err
	}
	stmt, err := e.DB.PrepareContext(ctx, rawInsertMany)
	return func(ctx context.Context) (int, error) {
		revisions, ids, data, meta := make([]int64, batch), make([]string, batch), make([][]byte, batch), make([][]byte, batch)
		for i := range batch {
			revisions[i], ids[i], data[i], meta[i] = int64(i), uuid.NewString(), payload, metadata
		}
		_, err := stmt.ExecContext(ctx, newStreamName(), pq.Array(revisions), pq.Array(ids), pq.ByteaArray(data), pq.ByteaArray(meta))
		return batch, err
	}, err
}
