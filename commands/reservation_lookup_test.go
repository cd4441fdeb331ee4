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
	// then the claim streams were read once each (the keyed one and the legacy one), plus what the id
	// allocator read, and not again to claim
	idReads := store.reads.Load() - 2
	if idReads < 0 || idReads > 1 {
		t.Fatalf("%d stream reads for a new record, want the 2 claim streams and at most 1 for the id", store.reads.Load())
	}

	// when eight commands record an id for another key at once
	got := make([]int64, 8)
	errs := make([]error, len(got))
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() {
			got[i], errs[i] = commands.RecordedID(ctx, records, envelope(uuid.NewString()), "subscription_of_command", "key-2", ids)
		})
	}
	wg.Wait()
	// then they all get the one id recorded, and the first key's id still stands
	for i := range got {
		if errs[i] != nil || got[i] != got[0] || got[i] == 0 {
			t.Fatalf("recorder %d: %d, %v; recorder 0 got %d", i, got[i], errs[i], got[0])
		}
	}
	again, err := commands.RecordedID(ctx, records, envelope(uuid.NewString()), "subscription_of_command", "key-1", ids)
	if err != nil || again != first {
		t.Fatalf("key-1 again: %d, %v; want %d", again, err, first)
	}
}
