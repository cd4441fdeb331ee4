package commands_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/commands"
)

func TestARecordUnderACommandIDDrawnForTheCallIsClaimedWithoutReadingIt(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	plain := newStore(t)
	ids := commands.NewIDAllocator(plain, "record_drawn_test", commands.IDAllocatorConfig{})
	cases := []struct {
		name      string
		drawn     bool
		wantReads int64
	}{
		{"a command id drawn for this call (no Idempotency-Key)", true, 0},
		{"a command id a client may send again", false, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			store := &readCounter{Store: plain}
			records := commands.Reservations{Store: store, Names: testNames}
			env := envelope(uuid.NewString())
			env.NewCommandID = tc.drawn

			// given nothing recorded under the command's id, when the command records an id under it
			first, err := commands.RecordedID(ctx, records, env, "subscription_of_command", env.CommandID, ids)

			// then the record's stream was read only when the id may have been sent before
			if err != nil || first == 0 || store.reads.Load() != tc.wantReads {
				t.Fatalf("record: %d, %v after %d reads, want %d", first, err, store.reads.Load(), tc.wantReads)
			}
			// and the same command id recording again (its append loses to the first) gets the same id
			again, err := commands.RecordedID(ctx, records, env, "subscription_of_command", env.CommandID, ids)
			if err != nil || again != first {
				t.Fatalf("again: %d, %v; want %d", again, err, first)
			}
		})
	}
}
