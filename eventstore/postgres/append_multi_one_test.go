package postgres

import (
	"errors"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestAppendMultiInOneWritesAllOrLeavesItToTheTransaction(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// heldBefore is how many events stream "a-…" holds first; "b-…" holds none.
		heldBefore int
		a, b       eventstore.ExpectedRevision
		bEvents    int
		// wantInserted says whether the one statement writes (else nothing is written, the transaction decides).
		wantInserted bool
		// wantRaced says the statement lost a race on the unique key (the transaction then decides).
		wantRaced bool
	}{
		{name: "exact and no stream land in one statement", heldBefore: 2, a: eventstore.Exact(1), b: eventstore.NoStream(),
			bEvents: 2, wantInserted: true},
		{name: "an exact revision not in the stream writes nothing", heldBefore: 1, a: eventstore.Exact(4), b: eventstore.NoStream(),
			bEvents: 1},
		{name: "a later part's revision not in its stream writes nothing, though the first part's holds", heldBefore: 2,
			a: eventstore.Exact(1), b: eventstore.Exact(0), bEvents: 1},
		{name: "an expected revision that is no longer the last loses a race", heldBefore: 3, a: eventstore.Exact(1),
			b: eventstore.NoStream(), bEvents: 1, wantRaced: true},
		{name: "an Any part is left to the transaction", heldBefore: 1, a: eventstore.Any(), b: eventstore.NoStream(), bEvents: 1},
		{name: "a part without events is left to the transaction", heldBefore: 1, a: eventstore.Exact(0), b: eventstore.NoStream()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			store, ctx := newTestStore(t)
			// Given stream a holding its first events and no stream b
			held := newEvents(tc.heldBefore)
			mustAppend(t, ctx, store, "a-1", eventstore.NoStream(), held...)
			// When one event for a and some for b are tried as one statement
			appends := []eventstore.StreamAppend{{Stream: "b-1", Expected: tc.b, Events: newEvents(tc.bEvents)},
				{Stream: "a-1", Expected: tc.a, Events: newEvents(1)}}
			results, inserted, err := store.appendMultiInOne(ctx, appends)
			// Then it writes every part or none; a taken revision is a lost race, never an opaque failure
			if raced := errors.Is(err, errAppendRaced); raced != tc.wantRaced || (err != nil && !raced) {
				t.Fatalf("appendMultiInOne: %v, want a lost race: %v", err, tc.wantRaced)
			}
			if inserted != tc.wantInserted {
				t.Fatalf("inserted = %v, want %v (err %v)", inserted, tc.wantInserted, err)
			}
			wantA, wantB := held, []eventstore.EventData(nil)
			if tc.wantInserted {
				wantA, wantB = append(held, appends[1].Events...), appends[0].Events
			}
			gotB := requireHolds(t, store, "b-1", wantB)
			gotA := requireHolds(t, store, "a-1", wantA)
			if !tc.wantInserted {
				return
			}
			// and each result names its own stream's last event, in the caller's order
			for i, got := range [][]eventstore.RecordedEvent{gotB, gotA} {
				last := got[len(got)-1]
				if results[i].NextRevision != last.Revision || results[i].Position.Compare(last.Position) != 0 {
					t.Errorf("%s: answered %d at %s, its last event reads %d at %s", appends[i].Stream,
						results[i].NextRevision, results[i].Position, last.Revision, last.Position)
				}
			}
		})
	}
}

// requireHolds fails unless stream holds exactly the events want (by id, in order) and returns them read back.
func requireHolds(t *testing.T, store *Store, stream string, want []eventstore.EventData) []eventstore.RecordedEvent {
	t.Helper()
	got, err := store.ReadStream(t.Context(), stream, eventstore.Forwards, eventstore.StreamStart(), 100)
	if err != nil && !errors.Is(err, eventstore.ErrStreamNotFound) {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%s holds %d events, want %d", stream, len(got), len(want))
	}
	for i := range want {
		if got[i].ID != want[i].ID {
			t.Fatalf("%s: event %d is %s, want %s", stream, i, got[i].ID, want[i].ID)
		}
	}
	return got
}

func TestAppendMultiInOneErrorNamesTheFailingPartsStream(t *testing.T) {
	t.Parallel()
	// The server refuses a NUL byte in text, so the part carrying it fails the whole statement.
	for _, bad := range []string{"a-1", "b-1"} {
		t.Run(bad, func(t *testing.T) {
			t.Parallel()
			store, ctx := newTestStore(t)
			// Given stream a holding one event, no stream b, and one part whose event type the server refuses
			held := newEvents(1)
			mustAppend(t, ctx, store, "a-1", eventstore.NoStream(), held...)
			appends := []eventstore.StreamAppend{{Stream: "b-1", Expected: eventstore.NoStream(), Events: newEvents(1)},
				{Stream: "a-1", Expected: eventstore.Exact(0), Events: newEvents(1)}}
			for i := range appends {
				if appends[i].Stream == bad {
					appends[i].Events[0].Type = "test.\x00happened"
				}
			}
			// When both parts are tried as one statement
			_, inserted, err := store.appendMultiInOne(ctx, appends)
			// Then it fails without a lost race, its error names the failing part's stream, and nothing is written
			if err == nil || errors.Is(err, errAppendRaced) || inserted {
				t.Fatalf("appendMultiInOne: inserted %v, err %v; want a failure that is not a lost race", inserted, err)
			}
			if !strings.Contains(err.Error(), bad) {
				t.Errorf("error %q does not name %s, whose part failed", err, bad)
			}
			requireHolds(t, store, "a-1", held)
			requireHolds(t, store, "b-1", nil)
		})
	}
}
