// Package storetest is the contract suite every eventstore.Store adapter runs: one set of behavioural cases
// (expected revisions, stream reads, the $all order, subscriptions, idempotent retries and concurrent writers
// racing a live subscriber), so commands and projections can rely on the port's documented semantics whatever
// the backend.
//
// The suite is written for stores that may be shared with other tests or processes (a real EventStoreDB node):
// every case writes to streams under its own random prefix, reads $all only after a position it wrote itself,
// and never assumes $all is empty or that positions hold particular numbers. Every context has a deadline so a
// broken adapter fails instead of hanging.
package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// Backend describes one adapter under test.
type Backend struct {
	// Name is the subtest name: "postgres", "esdb", "esdb-node".
	Name string
	// New returns a store for one test. It may be fresh or shared (a real node): the suite uses unique stream
	// names per test and never closes the store, so New registers any cleanup with t.Cleanup.
	New func(t *testing.T) eventstore.Store
	// SlowAppend, when set, appends like Store.Append but holds its write uncommitted for hold before
	// committing. The concurrency cases use it for some writers to prove a late-committing writer is never
	// skipped by ReadAll or a subscription.
	SlowAppend func(ctx context.Context, s eventstore.Store, stream string, expected eventstore.ExpectedRevision,
		hold time.Duration, events ...eventstore.EventData) (eventstore.AppendResult, error)
}

// Run runs every contract case as subtests of t.Run(b.Name, ...).
//
// Groups run one after another and the cases inside a group run in parallel. The concurrency group runs
// last and alone on purpose: its slow writers hold uncommitted writes that may legitimately delay when other
// cases see their own events on a shared store.
func Run(t *testing.T, b Backend) {
	t.Helper()
	t.Run(b.Name, func(t *testing.T) {
		t.Run("append", func(t *testing.T) { testAppend(t, b) })
		t.Run("multi", func(t *testing.T) { testAppendMulti(t, b) })
		t.Run("multi in opposite orders", func(t *testing.T) { testAppendMultiOppositeOrders(t, b) })
		t.Run("read", func(t *testing.T) { testReadStream(t, b) })
		t.Run("all", func(t *testing.T) { testReadAll(t, b) })
		t.Run("subscribe", func(t *testing.T) { testSubscribe(t, b) })
		t.Run("idempotency", func(t *testing.T) { testIdempotency(t, b) })
		t.Run("concurrency", func(t *testing.T) { testConcurrency(t, b) })
	})
}
