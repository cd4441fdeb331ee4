package postgres

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/eventstore/storetest"
	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
)

// TestLateCommitIsNeverSkipped: a writer that takes its position first but commits last must not be passed
// by readers of $all (docs/architecture.md, invariants).
func TestLateCommitIsNeverSkipped(t *testing.T) {
	t.Parallel()
	store, ctx := newTestStore(t)
	mark := mustAppend(t, ctx, store, "marker", eventstore.Any(), newEvents(1)...)
	sub, err := store.SubscribeAll(ctx, eventstore.AllAfter(mark.Position), eventstore.Filter{})
	if err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	defer sub.Close()

	// Given a writer that appended an event but holds its transaction open,
	const hold = 2 * time.Second
	early, late := newEvents(1), newEvents(1)
	slow := make(chan eventstore.AppendResult, 1)
	go func() {
		res, err := slowAppend(ctx, store, "order-early", eventstore.NoStream(), hold, early...)
		if err != nil {
			t.Errorf("slow append: %v", err)
		}
		slow <- res
	}()
	waitForOpenWriter(t, store)
	// and a later writer to another stream that commits at once, without waiting for the first.
	lateRes := mustAppend(t, ctx, store, "order-late", eventstore.NoStream(), late...)

	// When $all is read and subscribed while the first writer is still open,
	read := make(chan []eventstore.RecordedEvent, 1)
	go func() {
		got, err := store.ReadAll(ctx, eventstore.AllAfter(mark.Position), 10)
		if err != nil {
			t.Errorf("ReadAll: %v", err)
		}
		read <- got
	}()
	// then the subscription delivers nothing while it is open,
	storetest.RequireNoEventWithin(t, ctx, sub, hold/4)
	// and once it commits both deliver both events, the early one first: ReadAll waited for the commit
	// instead of returning the late event alone.
	earlyRes := <-slow
	if earlyRes.Position.Compare(lateRes.Position) >= 0 {
		t.Fatalf("early append at %s is not before the late one at %s", earlyRes.Position, lateRes.Position)
	}
	want := append(append([]eventstore.EventData{}, early...), late...)
	requireIDs(t, "subscription", recvEvents(t, ctx, sub, 2), want)
	requireIDs(t, "ReadAll", <-read, want)
}

// waitForOpenWriter waits until an append transaction of this database holds its rows uncommitted: a
// backend that has a transaction id and a write lock on events. Any transaction id alone is not enough: a
// background transaction of the server (autovacuum's analyze) has one too, and a test that took it for the
// writer appended its "later" event first.
func waitForOpenWriter(t *testing.T, store *Store) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var held bool
		err := store.db.QueryRowContext(t.Context(), `SELECT EXISTS (SELECT 1 FROM pg_stat_activity a
			JOIN pg_locks l ON l.pid = a.pid AND l.locktype = 'relation' AND l.relation = 'events'::regclass
			 AND l.mode = 'RowExclusiveLock'
			WHERE a.datname = current_database() AND a.backend_xid IS NOT NULL AND a.pid <> pg_backend_pid())`).Scan(&held)
		if err != nil {
			t.Fatalf("look for the open writer: %v", err)
		}
		if held {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the slow writer never opened its transaction")
}

// TestSubscribeFromEndTellsOldFromNewAboveTheFence: above the fence, a subscription from the end must skip
// events committed before it started and deliver those committed after, though their positions interleave.
func TestSubscribeFromEndTellsOldFromNewAboveTheFence(t *testing.T) {
	t.Parallel()
	store, ctx := newTestStore(t)
	// Given a writer holding an appended event uncommitted, and a later event committed behind it.
	pending, old, later := newEvents(1), newEvents(1), newEvents(1)
	slow := make(chan error, 1)
	go func() {
		_, err := slowAppend(ctx, store, "order-pending", eventstore.NoStream(), time.Second, pending...)
		slow <- err
	}()
	waitForOpenWriter(t, store)
	mustAppend(t, ctx, store, "order-old", eventstore.NoStream(), old...)
	// When a subscription starts from the end, then the writer commits and another event is appended,
	sub, err := store.SubscribeAll(ctx, eventstore.AllEnd(), eventstore.Filter{})
	if err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	defer sub.Close()
	if err := <-slow; err != nil {
		t.Fatalf("slow append: %v", err)
	}
	mustAppend(t, ctx, store, "order-later", eventstore.NoStream(), later...)
	// then it delivers the pending and the later event, never the one committed before it started.
	requireIDs(t, "from end", recvEvents(t, ctx, sub, 2), append(append([]eventstore.EventData{}, pending...), later...))
}

// TestUnrelatedOpenTransactionsDoNotHoldDeliveryBack: the fence must see only transactions that append
// events (docs/architecture.md, invariants). A transaction that holds an id for seconds — in another
// database of the server, or in this one writing something else (a read model) — must not delay delivery or
// ReadAll.
func TestUnrelatedOpenTransactionsDoNotHoldDeliveryBack(t *testing.T) {
	t.Parallel()
	const flowFor = 10 * time.Second
	for _, tc := range []struct {
		name     string
		database func(t *testing.T, store *Store) string
	}{
		{"in another database", func(t *testing.T, _ *Store) string { return pgtest.NewDatabase(t) }},
		{"in this database, writing elsewhere", func(_ *testing.T, store *Store) string { return store.opts.listenURL }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			store, ctx := newTestStore(t)
			sub, err := store.SubscribeAll(ctx, eventstore.AllStart(), eventstore.Filter{})
			if err != nil {
				t.Fatalf("subscribe: %v", err)
			}
			defer sub.Close()
			// Given a transaction that holds a transaction id and stays open while events flow,
			release := holdWritingTransaction(t, ctx, tc.database(t, store))
			defer release()
			// when events are appended one after another for the whole time,
			var last eventstore.Position
			for start := time.Now(); time.Since(start) < flowFor; time.Sleep(20 * time.Millisecond) {
				events := newEvents(1)
				res := mustAppend(t, ctx, store, "flow-"+events[0].ID.String(), eventstore.NoStream(), events...)
				// then the subscription delivers each one while that transaction is still open,
				requireIDs(t, "subscription", recvEvents(t, recvCtx(t, ctx), sub, 1), events)
				last = res.Position
			}
			// and ReadAll returns the last one without waiting for it either.
			got, err := store.ReadAll(ctx, eventstore.AllStart(), 1_000_000)
			if err != nil {
				t.Fatalf("ReadAll: %v", err)
			}
			if len(got) == 0 || got[len(got)-1].Position != last {
				t.Fatalf("ReadAll ends before the last append at %s (%d events)", last, len(got))
			}
		})
	}
}

// recvCtx bounds one receive: an event held back by the open transaction would wait until it ends.
func recvCtx(t *testing.T, ctx context.Context) context.Context {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// holdWritingTransaction opens a transaction on the database at url that takes a transaction id (the way
// any write does) and keeps it open until release is called.
func holdWritingTransaction(t *testing.T, ctx context.Context, url string) (release func()) {
	t.Helper()
	clientURL, _, err := pg.ClientURL(url)
	if err != nil {
		t.Fatalf("client URL of %s: %v", url, err)
	}
	db, err := sql.Open("postgres", clientURL)
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatalf("begin: %v", err)
	}
	if _, err := tx.ExecContext(ctx, `CREATE TEMPORARY TABLE read_model (id int); INSERT INTO read_model VALUES (1)`); err != nil {
		t.Fatalf("write in the held transaction: %v", err)
	}
	return func() {
		_ = tx.Rollback()
		_ = db.Close()
	}
}
