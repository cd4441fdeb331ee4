package postgres

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestConcurrentMultiStreamAppendsShareOneCommitAndEachGetsItsOwnAnswer(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// spoil changes the second caller's appends (the first and third are renewals paid as made).
		spoil func(t *testing.T, ctx context.Context, store *Store, appends []eventstore.StreamAppend)
		// wantWrong says the second caller is refused for a wrong expected revision of its first stream.
		wantWrong bool
		// wantShared says the three callers' events landed in one commit.
		wantShared bool
	}{
		{name: "three renewals paid at once land in one commit", wantShared: true},
		{name: "a caller expecting a revision its stream moved past is refused alone, the others land",
			spoil: func(t *testing.T, ctx context.Context, store *Store, appends []eventstore.StreamAppend) {
				mustAppend(t, ctx, store, appends[0].Stream, eventstore.Exact(0), newEvents(1)...)
			}, wantWrong: true},
		{name: "a caller retrying an append that landed gets its first answer, the others land",
			spoil: func(t *testing.T, ctx context.Context, store *Store, appends []eventstore.StreamAppend) {
				if _, err := store.AppendMulti(ctx, appends); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "a caller naming another caller's stream is refused alone, the others land",
			spoil: func(t *testing.T, ctx context.Context, store *Store, appends []eventstore.StreamAppend) {
				appends[0].Stream, appends[0].Expected = "invoice-3", eventstore.Exact(5)
			}, wantWrong: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			store, ctx := newTestStore(t)
			// Given three renewals' "invoice paid + subscription paid" appends, the second one spoiled
			callers := [][]eventstore.StreamAppend{renewalPaid(t, ctx, store, 1), renewalPaid(t, ctx, store, 2),
				renewalPaid(t, ctx, store, 3)}
			if tc.spoil != nil {
				tc.spoil(t, ctx, store, callers[1])
			}
			// When they queue behind a multi-stream append in flight, so that they go together
			results := make([][]eventstore.AppendResult, len(callers))
			var calls []func() ([]eventstore.AppendResult, error)
			for i, appends := range callers {
				calls = append(calls, func() (r []eventstore.AppendResult, err error) {
					results[i], err = store.AppendMulti(ctx, appends)
					return results[i], err
				})
			}
			errs := groupQueued(t, ctx, store, calls...)
			// Then each caller gets the answer it would have had alone
			if errs[0] != nil {
				t.Fatalf("the append in flight: %v", errs[0])
			}
			for i, err := range errs[1:] {
				wrong, isWrong := errors.AsType[*eventstore.WrongExpectedVersionError](err)
				if i == 1 && tc.wantWrong {
					if !isWrong || wrong.Stream != callers[1][0].Stream {
						t.Fatalf("caller 2: %v, want a wrong expected version of %s", err, callers[1][0].Stream)
					}
					continue
				}
				if err != nil {
					t.Fatalf("caller %d: %v", i+1, err)
				}
				// and its events are where its answer says, and only there
				for k, a := range callers[i] {
					got := mustRead(t, store, a.Stream)
					last := got[len(got)-1]
					if len(got) != 2 || last.ID != a.Events[0].ID {
						t.Fatalf("caller %d: %s holds %d events, the last %s; want 2, the last %s", i+1, a.Stream,
							len(got), last.ID, a.Events[0].ID)
					}
					if results[i][k].NextRevision != last.Revision || results[i][k].Position.Compare(last.Position) != 0 {
						t.Errorf("caller %d, %s: answered %d at %s, its last event reads %d at %s", i+1, a.Stream,
							results[i][k].NextRevision, results[i][k].Position, last.Revision, last.Position)
					}
				}
			}
			// and the three callers shared one commit only when each one's append could land
			shared := results[0][0].Position.Commit == results[2][0].Position.Commit
			if shared != tc.wantShared {
				t.Errorf("callers 1 and 3 committed together: %v, want %v", shared, tc.wantShared)
			}
		})
	}
}

func TestAQueuedCallerWhoseContextEndsLeavesTheQueueAndTheOthersLand(t *testing.T) {
	t.Parallel()
	store, ctx := newTestStore(t)
	store.group.Patience = time.Hour
	// Given an append in flight, stuck on a revision another transaction holds, and two renewals queued
	// behind it, the first under a context that ends while it waits
	blocker, inFlight := heldStream(t, ctx, store)
	first, second := renewalPaid(t, ctx, store, 1), renewalPaid(t, ctx, store, 2)
	ending, cancel := context.WithCancel(ctx)
	errs := make(chan error, 3)
	go func() { _, err := inFlight(); errs <- err }()
	waitQueued(t, store, 0)
	firstErr := make(chan error, 1)
	go func() { _, err := store.AppendMulti(ending, first); firstErr <- err }()
	waitQueued(t, store, 1)
	go func() { _, err := store.AppendMulti(ctx, second); errs <- err }()
	waitQueued(t, store, 2)
	// When its context ends
	cancel()
	// Then it is answered at once, while the statement in flight still waits, and leaves the queue
	if err := <-firstErr; !errors.Is(err, context.Canceled) {
		t.Errorf("the caller whose context ended: %v, want context.Canceled", err)
	}
	waitQueued(t, store, 1)
	// and once the held revision is let go, the others land and its events do not
	if err := blocker.Rollback(); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range first {
		if n := len(mustRead(t, store, a.Stream)); n != 1 {
			t.Errorf("%s holds %d events, want its first only", a.Stream, n)
		}
	}
	for _, a := range second {
		if n := len(mustRead(t, store, a.Stream)); n != 2 {
			t.Errorf("%s holds %d events, want 2", a.Stream, n)
		}
	}
}

func TestAStatementStuckOnALockHoldsTheQueueForItsPatienceOnly(t *testing.T) {
	t.Parallel()
	store, ctx := newTestStore(t)
	store.group.Patience = 50 * time.Millisecond
	// Given an append in flight, stuck on a revision another transaction holds
	blocker, inFlight := heldStream(t, ctx, store)
	stuck := make(chan error, 1)
	go func() { _, err := inFlight(); stuck <- err }()
	waitQueued(t, store, 0)
	// When a renewal on other streams is paid
	paid := renewalPaid(t, ctx, store, 1)
	landed := make(chan error, 1)
	go func() { _, err := store.AppendMulti(ctx, paid); landed <- err }()
	// Then it lands while the revision is still held (the queue elected it to lead past the stuck one)
	select {
	case err := <-landed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the renewal still waits behind the stuck append")
	}
	// and the stuck append lands once the revision is let go
	if err := blocker.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := <-stuck; err != nil {
		t.Fatal(err)
	}
}
