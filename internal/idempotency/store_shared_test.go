package idempotency_test

import (
	"bytes"
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/idempotency"
)

func TestConcurrentRequestsOnTwoInstancesHoldAKeyOnce(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	c := newClock()
	// given two API instances sharing the database
	instances := []*idempotency.Store{newStore(t, db, c), newStore(t, db, c)}
	a := idempotency.Attempt{Scope: "site:1:ip:192.0.2.1", Key: "one-key", Fingerprint: []byte("POST /newsletter")}
	// when 20 requests with one key arrive at once, half on each
	var proceeded, busy atomic.Int32
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			claim, err := instances[i%2].Begin(context.Background(), a)
			switch {
			case err != nil:
				t.Error(err)
			case claim.Outcome == idempotency.Proceed:
				proceeded.Add(1)
			case claim.Outcome == idempotency.Busy:
				busy.Add(1)
			}
		})
	}
	wg.Wait()
	// then exactly one holds the key and every other is told it is busy
	if proceeded.Load() != 1 || busy.Load() != 19 {
		t.Fatalf("%d proceeded, %d busy", proceeded.Load(), busy.Load())
	}
}

func TestNothingStoredIsReadableWithoutTheSecret(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	c := newClock()
	s := newStore(t, db, c)
	a := idempotency.Attempt{Scope: "customer:1:42", Key: "visible-key", Fingerprint: []byte("PUT /customer {\"password\":\"hunter2\"}")}
	// given a finished request whose answer carries a token
	if err := s.Finish(context.Background(), begin(t, s, a, idempotency.Proceed), answer); err != nil {
		t.Fatal(err)
	}
	// when the row is read as an intruder with the database would
	var row struct {
		ID          []byte `db:"id"`
		Fingerprint []byte `db:"fingerprint"`
		Response    []byte `db:"response"`
	}
	if err := db.Get(&row, `SELECT id, fingerprint, response FROM idempotency_keys`); err != nil {
		t.Fatal(err)
	}
	// then neither the key, the caller, the request nor the token appears in it
	for _, secret := range []string{"visible-key", "customer:1:42", "hunter2", "eyJ.secret.jwt", "auth_token"} {
		for _, stored := range [][]byte{row.ID, row.Fingerprint, row.Response} {
			if bytes.Contains(stored, []byte(secret)) {
				t.Fatalf("%q is readable at rest", secret)
			}
		}
	}
	// and a store with another secret does not find the key
	other, err := idempotency.NewStore(db, []byte("another-secret-of-the-tests-0123456789abc"))
	if err != nil {
		t.Fatal(err)
	}
	other.Now = c.Now
	begin(t, other, a, idempotency.Proceed)
	// and an answer copied onto another key's row does not open there
	b := idempotency.Attempt{Scope: "customer:1:43", Key: "visible-key", Fingerprint: a.Fingerprint}
	if err := s.Finish(context.Background(), begin(t, s, b, idempotency.Proceed), idempotency.Response{Status: 204}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE idempotency_keys SET response = $1 WHERE response IS NOT NULL AND id <> $2`, row.Response, row.ID); err != nil {
		t.Fatal(err)
	}
	if claim, err := s.Begin(context.Background(), b); err == nil {
		t.Fatalf("a moved answer opened: %+v", claim.Response)
	}
}

func TestPurgeDeletesOnlyExpiredKeys(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	c := newClock()
	s := newStore(t, db, c)
	old := idempotency.Attempt{Scope: "customer:1:1", Key: "old", Fingerprint: []byte("a")}
	if err := s.Finish(context.Background(), begin(t, s, old, idempotency.Proceed), answer); err != nil {
		t.Fatal(err)
	}
	c.advance(time.Hour)
	fresh := idempotency.Attempt{Scope: "customer:1:1", Key: "fresh", Fingerprint: []byte("a")}
	begin(t, s, fresh, idempotency.Proceed)
	// when the purge runs a window after the first key's use
	c.advance(idempotency.Window - time.Hour)
	purged, err := s.Purge(context.Background())
	// then only that key is gone
	if err != nil || purged != 1 {
		t.Fatalf("purged %d, %v", purged, err)
	}
	var left int
	if err := db.Get(&left, `SELECT count(*) FROM idempotency_keys`); err != nil || left != 1 {
		t.Fatalf("%d rows left, %v", left, err)
	}
}

func TestAShortSecretIsRefused(t *testing.T) {
	t.Parallel()
	if _, err := idempotency.NewStore(nil, []byte("too-short-31-bytes-secret-12345")); err == nil {
		t.Fatal("a 31-byte secret was accepted")
	}
}
