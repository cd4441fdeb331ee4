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
		if _, _, err := l.Attempt(context.Background(), account, identifier); err != nil {
			t.Fatal(err)
		}
	}
}

// failEvery makes that many failed attempts of ann@example.com in account 1, moving the clock on by every
// after each.
func failEvery(t *testing.T, l *auth.LoginThrottle, c *clock, times int, every time.Duration) {
	t.Helper()
	for range times {
		fail(t, l, 1, "ann@example.com", 1)
		c.now = c.now.Add(every)
	}
}

// assertLocked makes one more attempt and checks whether it was refused (an allowed one counts too).
func assertLocked(t *testing.T, l *auth.LoginThrottle, account int64, identifier string, want bool) {
	t.Helper()
	if allowed, _, err := l.Attempt(context.Background(), account, identifier); err != nil || allowed == want {
		t.Fatalf("Attempt(%d, %q) allowed = %v, %v; want locked %v", account, identifier, allowed, err, want)
	}
}

func TestLoginLocksAfterTenFailuresWithinFiveMinutes(t *testing.T) {
	t.Parallel()
	c := &clock{now: epoch}
	l := newThrottle(newDB(t), c)
	// given 9 failures spread over the window
	failEvery(t, l, c, 9, 30*time.Second)
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

func TestALockedLoginSaysWhenItOpensAgain(t *testing.T) {
	t.Parallel()
	c := &clock{now: epoch}
	l := newThrottle(newDB(t), c)
	// given 10 failures, one every 30 seconds from epoch on
	failEvery(t, l, c, 10, 30*time.Second)
	cases := []struct {
		name    string
		at      time.Duration // after epoch
		allowed bool
		wait    time.Duration
	}{
		{"locked until the first failure leaves the window", 4*time.Minute + 40*time.Second, false, 20 * time.Second},
		{"later, the wait is shorter", 4*time.Minute + 59*time.Second, false, time.Second},
		{"once it left, an attempt goes ahead", 5 * time.Minute, true, 0},
		{"which fills the window again, until the second failure leaves it", 5*time.Minute + time.Second, false, 29 * time.Second},
	}
	for _, tc := range cases { // in order: each attempt counts
		// when an attempt is made at that time
		c.now = epoch.Add(tc.at)
		allowed, wait, err := l.Attempt(context.Background(), 1, "ann@example.com")
		// then it goes ahead or says how long until one may
		if err != nil || allowed != tc.allowed || wait != tc.wait {
			t.Fatalf("%s: Attempt = %v, %v, %v; want %v, %v", tc.name, allowed, wait, err, tc.allowed, tc.wait)
		}
	}
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
			_, _, err := instances[i%len(instances)].Attempt(context.Background(), 7, "eve@example.com")
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
			ok, _, err := instances[i%2].Attempt(context.Background(), 7, "eve@example.com")
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
