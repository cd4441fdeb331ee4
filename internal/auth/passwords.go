package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"runtime"
)

// Hasher hashes and verifies passwords with argon2id. Each hash holds Params.MemoryKiB of memory and a CPU
// for tens of milliseconds, so a Hasher runs at most a fixed number at once; callers beyond that wait in
// line, and give up when their context ends (a client that left no longer costs a hash). Safe for
// concurrent use.
type Hasher struct {
	params Params
	slots  chan struct{}
	// dummy is a hash of a random password with params: VerifyDummy checks against it so an unknown login
	// costs what a known one does.
	dummy string
}

// NewHasher returns a Hasher that hashes new passwords with params and runs at most concurrency hashes at
// once (runtime.NumCPU() when concurrency <= 0). Production uses DefaultParams(); tests may pass cheaper
// ones. It computes one hash up front, for VerifyDummy.
func NewHasher(params Params, concurrency int) (*Hasher, error) {
	if err := params.validate(); err != nil {
		return nil, fmt.Errorf("auth: hasher params: %w", err)
	}
	if concurrency <= 0 {
		concurrency = runtime.NumCPU()
	}
	h := &Hasher{params: params, slots: make(chan struct{}, concurrency)}
	dummy, err := h.Hash(context.Background(), rand.Text())
	if err != nil {
		return nil, err
	}
	h.dummy = dummy
	return h, nil
}

// Hash returns the PHC encoding of a fresh argon2id hash of password with a random salt. Stored format:
// the result goes into the event log as is.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	salt := make([]byte, h.params.SaltLen)
	_, _ = rand.Read(salt) // crypto/rand.Read never fails (it crashes the program instead)
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	return passwordHash{params: h.params, salt: salt, key: derive(password, salt, h.params)}.encode(), nil
}

// Verify reports whether password matches encoded, using the parameters recorded in encoded (so hashes
// made with older parameters keep working). The keys are compared in constant time. It returns an error
// wrapping ErrHashMalformed for an encoding it cannot read, or the context's error when the caller gave up
// waiting for a free slot.
func (h *Hasher) Verify(ctx context.Context, password, encoded string) (bool, error) {
	stored, err := decodeHash(encoded)
	if err != nil {
		return false, err
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	got := derive(password, stored.salt, stored.params)
	return subtle.ConstantTimeCompare(got, stored.key) == 1, nil
}

// VerifyDummy does the work of one Verify against a hash with the current parameters and throws the result
// away. Call it when the login names no customer (or one without a password), so the answer takes as long
// as for a wrong password and timing does not reveal which accounts exist (rule 6). It returns only the
// context's error.
func (h *Hasher) VerifyDummy(ctx context.Context, password string) error {
	_, err := h.Verify(ctx, password, h.dummy)
	return err
}

// NeedsRehash reports whether encoded was made with other parameters than this Hasher's (or cannot be
// read): after a successful login the caller may then store Hash(password) instead.
func (h *Hasher) NeedsRehash(encoded string) bool {
	stored, err := decodeHash(encoded)
	return err != nil || stored.params != h.params
}

// acquire waits for a hashing slot, or for ctx to end. A context that has already ended never takes a
// slot, even a free one.
func (h *Hasher) acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *Hasher) release() { <-h.slots }
