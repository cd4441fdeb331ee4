package commands_test

import (
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
			env.NewCommandID = tc.drawn

			// given nothing recorded under the command's id, when the command asks for an id under it
			first, err := commands.RecordedID(ctx, records, env, "subscription_of_command", env.CommandID, ids)

			// then the record's stream was read and the id recorded only when the id may be asked for again
			if err != nil || first == 0 || store.reads.Load() != tc.wantReads || store.appends.Load() != tc.wantAppends {
				t.Fatalf("record: %d, %v after %d reads and %d appends, want %d and %d", first, err,
					store.reads.Load(), store.appends.Load(), tc.wantReads, tc.wantAppends)
			}
			// and a client sending that command id again finds the same id exactly when it was recorded
			env.NewCommandID = false
			again, err := commands.RecordedID(ctx, records, env, "subscription_of_command", env.CommandID, ids)
			if err != nil || (again == first) == tc.drawn {
				t.Fatalf("again: %d, %v; first was %d, recorded: %v", again, err, first, !tc.drawn)
			}
		})
	}
}
