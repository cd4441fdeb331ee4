package postgres

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
)

// openBenchStore opens a Store on a fresh database for a benchmark.
func openBenchStore(b *testing.B) *Store {
	b.Helper()
	store, err := Open(b.Context(), pgtest.NewDatabase(b))
	if err != nil {
		b.Fatalf("open store: %v", err)
	}
	b.Cleanup(func() { store.Close() })
	return store
}

// BenchmarkAppend appends one event per call, each goroutine to its own streams, all in autocommit.
func BenchmarkAppend(b *testing.B) {
	store := openBenchStore(b)
	var writers atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		stream := fmt.Sprintf("customer-%d", writers.Add(1))
		expected := eventstore.NoStream()
		for pb.Next() {
			res, err := store.Append(b.Context(), stream, expected, newEvents(1)...)
			if err != nil {
				b.Error(err)
				return
			}
			expected = eventstore.Exact(res.NextRevision)
		}
	})
}

// BenchmarkCatchUp measures how fast one subscription catches up on history: b.N events, then CaughtUp.
func BenchmarkCatchUp(b *testing.B) {
	store := openBenchStore(b)
	_, err := store.db.ExecContext(b.Context(), `INSERT INTO events (stream_id, revision, event_id, event_type, data, metadata)
		SELECT 'customer-' || (g / 10), g % 10, gen_random_uuid(), 'customer.registered',
		       convert_to('{"email": "someone@example.com", "index": ' || g || '}', 'UTF8'), '{"site_id": 1}'::bytea
		FROM generate_series(0, $1 - 1) AS g`, b.N)
	if err != nil {
		b.Fatalf("seed: %v", err)
	}
	ctx, cancel := context.WithCancel(b.Context())
	defer cancel()
	b.ResetTimer()
	sub, err := store.SubscribeAll(ctx, eventstore.AllStart(), eventstore.Filter{})
	if err != nil {
		b.Fatalf("subscribe: %v", err)
	}
	defer sub.Close()
	for n := 0; ; n++ {
		msg, err := sub.Recv(ctx)
		if err != nil {
			b.Fatalf("recv after %d events: %v", n, err)
		}
		if msg.CaughtUp {
			if n != b.N {
				b.Fatalf("caught up after %d events, want %d", n, b.N)
			}
			break
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
