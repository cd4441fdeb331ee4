package auth_test

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/auth"
)

func TestEnvironmentSecretDerivesDistinctStableKeys(t *testing.T) {
	t.Parallel()
	secret := "a-deployment-secret-of-32-bytes-or-more"
	// when the keys are loaded twice from the same PELCRO_AUTH_SECRET (no database needed)
	first, err1 := auth.LoadKeys(context.Background(), nil, secret)
	second, err2 := auth.LoadKeys(context.Background(), nil, secret)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	// then every instance derives the same keys, and the JWT key is not the one-time key nor the secret
	if !bytes.Equal(first.JWT, second.JWT) || !bytes.Equal(first.OneTime, second.OneTime) ||
		!bytes.Equal(first.Idempotency, second.Idempotency) {
		t.Fatal("same secret, different keys")
	}
	if bytes.Equal(first.JWT, first.OneTime) || bytes.Equal(first.JWT, []byte(secret)) || len(first.JWT) < auth.MinKeyBytes ||
		bytes.Equal(first.Idempotency, first.JWT) || bytes.Equal(first.Idempotency, first.OneTime) ||
		len(first.Idempotency) < auth.MinKeyBytes {
		t.Fatal("keys are not distinct derivations")
	}
	if !bytes.Equal(first.Throttle, second.Throttle) || len(first.Throttle) < auth.MinKeyBytes ||
		bytes.Equal(first.Throttle, first.JWT) || bytes.Equal(first.Throttle, first.OneTime) {
		t.Fatal("the throttle key is not a stable derivation of its own")
	}
	// and another secret gives other keys
	other, err := auth.DeriveKeys([]byte(secret + "!"))
	if err != nil || bytes.Equal(other.JWT, first.JWT) {
		t.Fatalf("other secret: %v", err)
	}
}

func TestShortEnvironmentSecretIsRefused(t *testing.T) {
	t.Parallel()
	if _, err := auth.LoadKeys(context.Background(), nil, "too-short-31-bytes-secret-12345"); err == nil {
		t.Fatal("a 31-byte secret was accepted")
	}
}

func TestGeneratedSecretIsSharedByEveryInstanceOfADatabase(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	// when several instances start at once without PELCRO_AUTH_SECRET, and one restarts later
	keys := make([]auth.Keys, 5)
	errs := make([]error, 5)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() { keys[i], errs[i] = auth.LoadKeys(context.Background(), db, "") })
	}
	wg.Wait()
	keys[4], errs[4] = auth.LoadKeys(context.Background(), db, "")

	// then all of them hold the same keys
	for i := range keys {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if !bytes.Equal(keys[i].JWT, keys[0].JWT) || !bytes.Equal(keys[i].OneTime, keys[0].OneTime) {
			t.Fatalf("instance %d got other keys", i)
		}
	}
	// and another deployment (database) has keys of its own
	elsewhere, err := auth.LoadKeys(context.Background(), newDB(t), "")
	if err != nil || bytes.Equal(elsewhere.JWT, keys[0].JWT) {
		t.Fatalf("other database: same keys or %v", err)
	}
}
