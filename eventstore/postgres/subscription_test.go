package postgres

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// recvCaughtUp fails unless the next message is the CaughtUp signal.
func recvCaughtUp(t *testing.T, ctx context.Context, sub eventstore.Subscription) {
	t.Helper()
	msg, err := sub.Recv(ctx)
	if err != nil || !msg.CaughtUp {
		t.Fatalf("got %+v, %v; want CaughtUp", msg, err)
	}
}

func TestSubscribeCatchesUpInPagesThenGoesLive(t *testing.T) {
	t.Parallel()
	// Given a store reading three rows per page and seven events already written, one in a system stream.
	store, ctx := newTestStore(t, WithPageSize(3))
	history := newEvents(6)
	mustAppend(t, ctx, store, "customer-1", eventstore.Any(), history[:4]...)
	mustAppend(t, ctx, store, "$system", eventstore.Any(), newEvents(1)...)
	mustAppend(t, ctx, store, "customer-2", eventstore.Any(), history[4:]...)
	// When a subscription starts from the beginning,
	sub, err := store.SubscribeAll(ctx, eventstore.AllStart(), eventstore.Filter{})
	if err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	defer sub.Close()
	// then it delivers the history across pages, system event left out, then CaughtUp,
	requireIDs(t, "catch-up", recvEvents(t, ctx, sub, len(history)), history)
	recvCaughtUp(t, ctx, sub)
	// and then events appended later, as they commit.
	live := newEvents(2)
	mustAppend(t, ctx, store, "customer-3", eventstore.Any(), live...)
	requireIDs(t, "live", recvEvents(t, ctx, sub, len(live)), live)
}

func TestSubscribeFilterAdvancesPastDroppedEvents(t *testing.T) {
	t.Parallel()
	// Given pages of two rows and a log where one order event follows ten customer events.
	store, ctx := newTestStore(t, WithPageSize(2))
	for range 10 {
		mustAppend(t, ctx, store, "customer-1", eventstore.Any(), newEvents(1)...)
	}
	wanted := newEvents(1)
	last := mustAppend(t, ctx, store, "order_1", eventstore.Any(), wanted...)
	mustAppend(t, ctx, store, "orderX1", eventstore.Any(), newEvents(1)...) // "_" in the prefix is no wildcard
	// When a subscription keeps only order_ streams,
	es, err := store.SubscribeAll(ctx, eventstore.AllStart(), eventstore.Filter{StreamPrefixes: []string{"order_"}})
	if err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	defer es.Close()
	// then it delivers the order event only, and once caught up its position is past every row it dropped.
	requireIDs(t, "filtered", recvEvents(t, ctx, es, 1), wanted)
	recvCaughtUp(t, ctx, es)
	if sub := es.(*subscription); sub.after.Compare(last.Position) <= 0 {
		t.Fatalf("caught-up subscription stands at %s, not past the last dropped row after %s", sub.after, last.Position)
	}
}

func TestSubscribeFromEndDeliversOnlyNewEvents(t *testing.T) {
	t.Parallel()
	// Given a log with history.
	store, ctx := newTestStore(t)
	mustAppend(t, ctx, store, "customer-1", eventstore.Any(), newEvents(3)...)
	// When a subscription starts at the end, then it is caught up at once and delivers only later events.
	sub, err := store.SubscribeAll(ctx, eventstore.AllEnd(), eventstore.Filter{})
	if err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	defer sub.Close()
	recvCaughtUp(t, ctx, sub)
	later := newEvents(1)
	mustAppend(t, ctx, store, "customer-1", eventstore.Any(), later...)
	requireIDs(t, "live", recvEvents(t, ctx, sub, 1), later)
}

func TestSubscribeIsWokenByAppendsOfAnotherProcess(t *testing.T) {
	t.Parallel()
	// Given a subscriber whose poll interval is far longer than the test, on its own Store (its own pool and
	// LISTEN connection, as another process would have) over the same database as the writer.
	writer, ctx := newTestStore(t)
	reader, err := Open(ctx, writer.opts.listenURL, WithPollInterval(time.Hour))
	if err != nil {
		t.Fatalf("open reader: %v", err)
	}
	defer reader.Close()
	sub, err := reader.SubscribeAll(ctx, eventstore.AllStart(), eventstore.Filter{})
	if err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	defer sub.Close()
	recvCaughtUp(t, ctx, sub)
	// When the writer appends, then the NOTIFY wakes the subscriber within seconds, long before any poll.
	time.Sleep(200 * time.Millisecond) // let the LISTEN connection come up
	events := newEvents(1)
	mustAppend(t, ctx, writer, "customer-1", eventstore.Any(), events...)
	wakeCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	requireIDs(t, "woken", recvEvents(t, wakeCtx, sub, 1), events)
}

func TestSubscriptionEnds(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		end     func(store *Store, sub eventstore.Subscription, cancel context.CancelFunc)
		wantErr error
	}{
		{"by Close", func(_ *Store, sub eventstore.Subscription, _ context.CancelFunc) { sub.Close() }, ErrClosed},
		{"by Store.Close", func(store *Store, _ eventstore.Subscription, _ context.CancelFunc) { store.Close() }, ErrClosed},
		{"by its context", func(_ *Store, _ eventstore.Subscription, cancel context.CancelFunc) { cancel() }, context.Canceled},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Given a live subscription blocked in Recv.
			store, ctx := newTestStore(t)
			subCtx, cancel := context.WithCancel(ctx)
			defer cancel()
			sub, err := store.SubscribeAll(subCtx, eventstore.AllStart(), eventstore.Filter{})
			if err != nil {
				t.Fatalf("subscribe: %v", err)
			}
			recvCaughtUp(t, ctx, sub)
			result := make(chan error, 1)
			go func() {
				_, err := sub.Recv(ctx)
				result <- err
			}()
			// When it is ended, then Recv returns at once with the reason, and keeps returning it.
			time.Sleep(50 * time.Millisecond)
			tc.end(store, sub, cancel)
			select {
			case err := <-result:
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("Recv = %v, want %v", err, tc.wantErr)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("Recv did not return after the subscription ended")
			}
			if _, err := sub.Recv(ctx); !errors.Is(err, tc.wantErr) {
				t.Fatalf("second Recv = %v, want %v", err, tc.wantErr)
			}
		})
	}
}

func TestSubscriptionResumesAfterItsConnectionsDrop(t *testing.T) {
	t.Parallel()
	// Given a subscription that delivered the first of two events.
	store, ctx := newTestStore(t, WithPageSize(1))
	events := newEvents(2)
	mustAppend(t, ctx, store, "customer-1", eventstore.Any(), events...)
	sub, err := store.SubscribeAll(ctx, eventstore.AllStart(), eventstore.Filter{})
	if err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	defer sub.Close()
	first := recvEvents(t, ctx, sub, 1)
	// When every connection to the database is terminated,
	_, err = store.db.ExecContext(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid()`)
	if err != nil {
		t.Fatalf("terminate connections: %v", err)
	}
	store.db.SetMaxIdleConns(0) // drop the pooled connection used for the termination as well
	store.db.SetMaxIdleConns(2)
	// then the subscription carries on from where it was: the second event, once, then new ones.
	second := recvEvents(t, ctx, sub, 1)
	requireIDs(t, "across the drop", append(first, second...), events)
	recvCaughtUp(t, ctx, sub)
	more := newEvents(1)
	mustAppend(t, ctx, store, "customer-1", eventstore.Any(), more...)
	requireIDs(t, "after the drop", recvEvents(t, ctx, sub, 1), more)
}

func TestAStoresOwnNotifyDoesNotWakeItsSubscriptionsAgain(t *testing.T) {
	t.Parallel()
	// Given a subscription of a Store whose LISTEN connection is up: a NOTIFY of another Store over the same
	// database (another process) woke it
	store, ctx := newTestStore(t, WithPollInterval(time.Hour))
	other, err := Open(ctx, store.opts.listenURL)
	if err != nil {
		t.Fatalf("open the other store: %v", err)
	}
	defer other.Close()
	sub, err := store.SubscribeAll(ctx, eventstore.AllEnd(), eventstore.Filter{})
	if err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	defer sub.Close()
	wake := sub.(*subscription).wake
	wokenWithin := func(d time.Duration) bool {
		select {
		case <-wake:
			return true
		case <-time.After(d):
			return false
		}
	}
	for attempt := 0; ; attempt++ { // a NOTIFY sent before the LISTEN took effect is never heard: send another
		mustAppend(t, ctx, other, "customer-1", eventstore.Any(), newEvents(1)...)
		if wokenWithin(500 * time.Millisecond) {
			break
		}
		if attempt == 20 {
			t.Fatal("the other store's NOTIFY never woke the subscription")
		}
	}
	// When the Store appends, and its subscription takes the wake-up the append gave it on returning
	mustAppend(t, ctx, store, "customer-2", eventstore.Any(), newEvents(1)...)
	if !wokenWithin(100 * time.Millisecond) {
		t.Fatal("an append did not wake its own Store's subscription")
	}
	// Then the Store's own NOTIFY, sent within notifyInterval, does not wake it a second time
	if wokenWithin(time.Second) {
		t.Fatal("the Store's own NOTIFY woke its subscription again")
	}
}
