package auth

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestHashingWaitsForAFreeSlotUntilTheClientLeaves(t *testing.T) {
	t.Parallel()
	// given a hasher with two slots, both busy
	h, err := NewHasher(Params{MemoryKiB: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, 2)
	if err != nil {
		t.Fatal(err)
	}
	h.slots <- struct{}{}
	h.slots <- struct{}{}

	// when a request arrives whose client leaves before a slot frees up
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, hashErr := h.Hash(ctx, "secret")
	_, verifyErr := h.Verify(ctx, "secret", h.dummy)

	// then it gives up with the context's error instead of hashing beyond the limit
	for name, err := range map[string]error{"Hash": hashErr, "Verify": verifyErr} {
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s with all slots busy = %v; want DeadlineExceeded", name, err)
		}
	}
	// and once a slot is released, the next request hashes
	h.release()
	if _, err := h.Hash(context.Background(), "secret"); err != nil {
		t.Fatalf("Hash after release = %v", err)
	}
}

func TestDummyHashUsesTheCurrentParams(t *testing.T) {
	t.Parallel()
	// given a hasher, then the hash VerifyDummy checks against costs what a fresh hash costs
	h, err := NewHasher(Params{MemoryKiB: 96, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if h.NeedsRehash(h.dummy) {
		t.Fatalf("dummy hash %q does not use the hasher's params", h.dummy)
	}
}
