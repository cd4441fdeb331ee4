package commands_test

import (
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/commands"
)

func TestAnIDUnderACommandIDDrawnForTheCallIsNeitherReadNorRecorded(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	plain := newStore(t)
	ids := commands.NewIDAllocator(plain, "record_drawn_test", commands.IDAllocatorConfig{})
	cases := []struct {
		name                   string
		drawn                  bool
		wantReads, wantAppends int64
	}{
		{"a command id drawn for this call (no Idempotency-Key)", true, 0, 0},
		{"a command id a client may send again", false, 1, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			store := &readCounter{Store: plain}
			records := commands.Reservations{Store: store, Names: testNames}
			env := envelope(uuid.NewString())
			if tc.drawn {
				env = env.Drawn(&commands.DrawnIDs{})
			}

			// given nothing recorded under the command's id, when the command asks for an id under it
			first, err := commands.RecordedID(ctx, records, env, "subscription_of_command", env.CommandID, ids)

			// then the record's stream was read and the id recorded only when the id may be asked for again
			if err != nil || first == 0 || store.reads.Load() != tc.wantReads || store.appends.Load() != tc.wantAppends {
				t.Fatalf("record: %d, %v after %d reads and %d appends, want %d and %d", first, err,
					store.reads.Load(), store.appends.Load(), tc.wantReads, tc.wantAppends)
			}
			// and the same command id asking again gets the same id
			again, err := commands.RecordedID(ctx, records, env, "subscription_of_command", env.CommandID, ids)
			if err != nil || again != first {
				t.Fatalf("again: %d, %v; want %d", again, err, first)
			}
		})
	}
}

func TestEnvelopesOfOneDrawnCommandIDAskingAtOnceGetOneID(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	plain := newStore(t)
	ids := commands.NewIDAllocator(plain, "record_drawn_concurrent_test", commands.IDAllocatorConfig{})
	records := commands.Reservations{Store: plain, Names: testNames}
	// given eight envelopes of one drawn command id sharing the request's memory
	env := envelope(uuid.NewString()).Drawn(&commands.DrawnIDs{})
	got := make([]int64, 8)
	errs := make([]error, len(got))
	// when they all ask for the command's subscription id at once
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() {
			got[i], errs[i] = commands.RecordedID(ctx, records, env, "subscription_of_command", env.CommandID, ids)
		})
	}
	wg.Wait()
	// then they all get one id
	for i := range got {
		if errs[i] != nil || got[i] != got[0] || got[i] == 0 {
			t.Fatalf("asker %d: %d, %v; asker 0 got %d", i, got[i], errs[i], got[0])
		}
	}
}
