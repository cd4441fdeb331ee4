package auth_test

import (
	"context"
	"sync"
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

	// when one instance revokes a token at logout, twice (a retried request), then only the first call
	// revoked it
	for i, want := range []bool{true, false} {
		if revoked, err := one.Revoke(ctx, "jti-1", epoch.Add(time.Hour)); err != nil || revoked != want {
			t.Fatalf("Revoke #%d = %v, %v; want %v", i+1, revoked, err, want)
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

func TestOfConcurrentRevocationsOfOneTokenExactlyOneRevokesIt(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	// given two API instances sharing a database
	instances := []*auth.Revocations{auth.NewRevocations(db), auth.NewRevocations(db)}

	// when twenty requests presenting one token revoke it at the same time, half on each instance
	start := make(chan struct{})
	results := make([]bool, 20)
	errs := make([]error, len(results))
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() {
			<-start
			results[i], errs[i] = instances[i%2].Revoke(context.Background(), "jti-shared", epoch.Add(time.Hour))
		})
	}
	close(start)
	wg.Wait()

	// then exactly one of them is told it revoked the token
	revokers := 0
	for i, revoked := range results {
		if errs[i] != nil {
			t.Fatalf("Revoke #%d: %v", i, errs[i])
		}
		if revoked {
			revokers++
		}
	}
	if revokers != 1 {
		t.Fatalf("%d calls revoked the token, want exactly 1", revokers)
	}
}

// assertRevoked checks the standing of jti for a customer the read model does not have (the customers
// table is empty here): revoked or not, and never known.
func assertRevoked(t *testing.T, r *auth.Revocations, jti string, want bool) {
	t.Helper()
	if got, err := r.Standing(context.Background(), jti, 42, 1); err != nil || got != (auth.Standing{Revoked: want}) {
		t.Fatalf("Standing(%s) = %+v, %v; want revoked %v of an unknown customer", jti, got, err, want)
	}
}
