package commands_test

import (
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/commands"
)

func TestANewRecordReadsItsStreamsOnceAndConcurrentRecordersAgree(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	store := &readCounter{Store: newStore(t)}
	records := commands.Reservations{Store: store, Names: testNames}
	ids := commands.NewIDAllocator(store, "record_test", commands.IDAllocatorConfig{})

	// given a key nobody recorded an id for, when a command records one
	store.reads.Store(0)
	first, err := commands.RecordedID(ctx, records, envelope(uuid.NewString()), "subscription_of_command", "key-1", ids)
	if err != nil || first == 0 {
		t.Fatalf("record: %d, %v", first, err)
	}
	// then the claim stream was read once (a scope younger than keyed names has no legacy stream to read),
	// plus what the id allocator read, and not again to claim
	idReads := store.reads.Load() - 1
	if idReads < 0 || idReads > 1 {
		t.Fatalf("%d stream reads for a new record, want the claim stream and at most 1 for the id", store.reads.Load())
	}

	// when eight commands record an id for another key at once, and eight runs of one same command (two
	// billing runs whose lease ran out) for a third key,
	shared := envelope(uuid.NewString())
	for _, tc := range []struct {
		key      string
		envelope func() commands.Envelope
	}{
		{"key-2", func() commands.Envelope { return envelope(uuid.NewString()) }},
		{"key-3", func() commands.Envelope { return shared }},
	} {
		got := make([]int64, 8)
		errs := make([]error, len(got))
		var wg sync.WaitGroup
		for i := range got {
			wg.Go(func() {
				got[i], errs[i] = commands.RecordedID(ctx, records, tc.envelope(), "subscription_of_command", tc.key, ids)
			})
		}
		wg.Wait()
		// then they all get the one id recorded,
		for i := range got {
			if errs[i] != nil || got[i] != got[0] || got[i] == 0 {
				t.Fatalf("%s, recorder %d: %d, %v; recorder 0 got %d", tc.key, i, got[i], errs[i], got[0])
			}
		}
		if owner, err := commands.RecordedID(ctx, records, envelope(uuid.NewString()), "subscription_of_command", tc.key, ids); err != nil || owner != got[0] {
			t.Fatalf("%s recorded %d (%v), the recorders went on with %d", tc.key, owner, err, got[0])
		}
	}
	// and the first key's id still stands.
	again, err := commands.RecordedID(ctx, records, envelope(uuid.NewString()), "subscription_of_command", "key-1", ids)
	if err != nil || again != first {
		t.Fatalf("key-1 again: %d, %v; want %d", again, err, first)
	}
}
