package auth_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/internal/auth"
)

// throttleKey is the tests' Keys.Throttle.
var throttleKey = []byte("throttle-key-of-the-tests-0123456")

func newThrottle(db *sqlx.DB, c *clock) *auth.LoginThrottle {
	l := auth.NewLoginThrottle(db, throttleKey)
	l.Now = c.Now
	return l
}

func fail(t *testing.T, l *auth.LoginThrottle, account int64, identifier string, times int) {
	t.Helper()
	for range times {
		if _, err := l.Attempt(context.Background(), account, identifier); err != nil {
			t.Fatal(err)
		}
	}
}

// assertLocked makes one more attempt and checks whether it was refused (an allowed one counts too).
func assertLocked(t *testing.T, l *auth.LoginThrottle, account int64, identifier string, want bool) {
	t.Helper()
	if allowed, err := l.Attempt(context.Background(), account, identifier); err != nil || allowed == want {
		t.Fatalf("Attempt(%d, %q) allowed = %v, %v; want locked %v", account, identifier, allowed, err, want)
	}
}

func TestLoginLocksAfterTenFailuresWithinFiveMinutes(t *testing.T) {
	t.Parallel()
	c := &clock{now: epoch}
	l := newThrottle(newDB(t), c)
	// given 9 failures spread over the window
	for range 9 {
		fail(t, l, 1, "ann@example.com", 1)
		c.now = c.now.Add(30 * time.Second)
	}
	// then a 10th attempt, written differently (case, spaces), may go ahead, and the 11th is locked
	assertLocked(t, l, 1, "  Ann@Example.COM ", false)
	assertLocked(t, l, 1, "ann@example.com", true)
	// and other identifiers, or the same email in another account, are not
	assertLocked(t, l, 1, "bob@example.com", false)
	assertLocked(t, l, 2, "ann@example.com", false)

	// when the oldest failure leaves the 5-minute window, then it opens again
	c.now = epoch.Add(auth.DefaultLoginWindow + time.Second)
	assertLocked(t, l, 1, "ann@example.com", false)
}

func TestSuccessfulLoginClearsFailures(t *testing.T) {
	t.Parallel()
	c := &clock{now: epoch}
	l := newThrottle(newDB(t), c)
	// given 9 failures, when the customer then signs in
	fail(t, l, 1, "ann", 9)
	if err := l.Succeed(context.Background(), 1, "ANN"); err != nil {
		t.Fatal(err)
	}
	// then 9 more failures do not lock the 10th attempt
	fail(t, l, 1, "ann", 9)
	assertLocked(t, l, 1, "ann", false)
}

func TestConcurrentFailuresAreAllCounted(t *testing.T) {
	t.Parallel()
	c := &clock{now: epoch}
	db := newDB(t)
	// given several API instances, configured to lock only at 20 so every failure must be kept
	var instances []*auth.LoginThrottle
	for range 3 {
		l := newThrottle(db, c)
		l.Limit = 20
		instances = append(instances, l)
	}
	// when 20 failed attempts on one login land at once
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Go(func() {
			_, err := instances[i%len(instances)].Attempt(context.Background(), 7, "eve@example.com")
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	// then none was lost: the login is locked on every instance, and with the default limit of 10 too
	for _, l := range instances {
		assertLocked(t, l, 7, "eve@example.com", true)
	}
	assertLocked(t, newThrottle(db, c), 7, "eve@example.com", true)
	// and none was counted twice: a limit of 21 is not reached
	lenient := newThrottle(db, c)
	lenient.Limit = 21
	assertLocked(t, lenient, 7, "eve@example.com", false)
}

func TestThrottleKeepsNeitherTheEmailNorItsBareHashAndPurgesOldRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := &clock{now: epoch}
	db := newDB(t)
	l := newThrottle(db, c)
	// given failures of two logins at different times
	fail(t, l, 1, "old@example.com", 3)
	c.now = epoch.Add(4 * time.Minute)
	fail(t, l, 1, "recent@example.com", 3)

	// then the table holds neither the email nor its SHA-256, which hashing guessed emails would match
	var dump string
	if err := db.GetContext(ctx, &dump, `SELECT string_agg(t::text, ' ') FROM auth_login_failures AS t`); err != nil {
		t.Fatal(err)
	}
	bareHash := sha256.Sum256([]byte("old@example.com"))
	for _, leak := range []string{"example", hex.EncodeToString([]byte("old@example.com")), hex.EncodeToString(bareHash[:])} {
		if strings.Contains(dump, leak) {
			t.Fatalf("the table holds %s: %s", leak, dump)
		}
	}
	// when a purge runs once the first login's failures left the window
	c.now = epoch.Add(auth.DefaultLoginWindow + time.Second)
	if n, err := l.Purge(ctx); err != nil || n != 1 {
		t.Fatalf("Purge = %d, %v; want 1 row", n, err)
	}
	// then the recent login's failures still count
	fail(t, l, 1, "recent@example.com", 7)
	assertLocked(t, l, 1, "recent@example.com", true)
}

func TestABurstOfAttemptsGetsExactlyTheLimitThrough(t *testing.T) {
	t.Parallel()
	c := &clock{now: epoch}
	db := newDB(t)
	// when 30 attempts on one login arrive at once on two instances
	instances := []*auth.LoginThrottle{newThrottle(db, c), newThrottle(db, c)}
	var wg sync.WaitGroup
	allowed := make(chan bool, 30)
	for i := range 30 {
		wg.Go(func() {
			ok, err := instances[i%2].Attempt(context.Background(), 7, "eve@example.com")
			if err != nil {
				t.Error(err)
			}
			allowed <- ok
		})
	}
	wg.Wait()
	close(allowed)
	// then exactly the limit of 10 may check a password
	n := 0
	for ok := range allowed {
		if ok {
			n++
		}
	}
	if n != auth.DefaultLoginLimit {
		t.Fatalf("%d attempts went ahead, want %d", n, auth.DefaultLoginLimit)
	}
}
