package auth_test

import (
	"context"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/auth"
)

func TestRevokedTokensAreRefusedEverywhereUntilPurgedAfterExpiry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := newDB(t)
	c := &clock{now: epoch}
	// given two API instances sharing a database
	one, two := auth.NewRevocations(db), auth.NewRevocations(db)
	one.Now, two.Now = c.Now, c.Now

	// when one instance revokes a token at logout, twice (a retried request)
	for range 2 {
		if err := one.Revoke(ctx, "jti-1", epoch.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	// then the other instance refuses it, and still accepts other tokens
	assertRevoked(t, two, "jti-1", true)
	assertRevoked(t, two, "jti-2", false)

	// when a purge runs before the token expires, then it stays revoked
	if n, err := two.Purge(ctx); err != nil || n != 0 {
		t.Fatalf("early Purge = %d, %v", n, err)
	}
	assertRevoked(t, one, "jti-1", true)

	// when a purge runs after expiry (and the leeway), then the row is gone: Parse refuses the token anyway
	c.now = epoch.Add(time.Hour + auth.TokenLeeway + time.Second)
	if n, err := two.Purge(ctx); err != nil || n != 1 {
		t.Fatalf("late Purge = %d, %v", n, err)
	}
	assertRevoked(t, one, "jti-1", false)
}

func assertRevoked(t *testing.T, r *auth.Revocations, jti string, want bool) {
	t.Helper()
	if got, err := r.IsRevoked(context.Background(), jti); err != nil || got != want {
		t.Fatalf("IsRevoked(%s) = %v, %v; want %v", jti, got, err, want)
	}
}
