package commands_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/auth"
	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest/migratedtest"
)

// customerWorld is the customer commands on a fresh store, with a cheap (test-only) hash cost and a clock
// the test moves.
type customerWorld struct {
	customers commands.Customers
	store     eventstore.Store
	tokens    auth.OneTimeTokens
	now       time.Time
}

func newCustomerWorld(t *testing.T) *customerWorld {
	t.Helper()
	return newCustomerWorldOn(t, newStore(t))
}

// newCustomerWorldOn is a customer world on the given store.
func newCustomerWorldOn(t *testing.T, store eventstore.Store) *customerWorld {
	t.Helper()
	hasher, err := auth.NewHasher(auth.Params{MemoryKiB: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, 4)
	if err != nil {
		t.Fatal(err)
	}
	w := &customerWorld{store: store, tokens: auth.OneTimeTokens{Key: []byte("0123456789abcdef0123456789abcdef")},
		now: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)}
	w.customers = commands.Customers{Store: store,
		CustomerIDs:  commands.NewIDAllocator(store, "customer", commands.IDAllocatorConfig{BlockSize: 10}),
		AddressIDs:   commands.NewIDAllocator(store, "address", commands.IDAllocatorConfig{}),
		Reservations: commands.Reservations{Store: store, Names: testNames, Now: func() time.Time { return w.now }},
		Passwords:    hasher, Tokens: w.tokens, Now: func() time.Time { return w.now },
		// the lockout's tables live in a database of their own: the store may be any backend
		Throttle: newLoginThrottle(t, migratedtest.NewDatabase(t))}
	return w
}

// newLoginThrottle is internal/auth's login lockout over the read-model tables of the database at url.
func newLoginThrottle(t *testing.T, url string) *auth.LoginThrottle {
	t.Helper()
	db, err := pg.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	db.SetMaxOpenConns(2) // the shared PostgreSQL is short of connections; a login holds one at a time
	return auth.NewLoginThrottle(db, []byte("throttle-key-of-the-tests-0123456"))
}

func newEnv() commands.Envelope { return commands.Envelope{CommandID: uuid.NewString(), SiteID: "1"} }

// register registers email with a password on site 1 of account 1 and returns the customer id.
func (w *customerWorld) register(t *testing.T, email, username string) int64 {
	t.Helper()
	return w.registerIn(t, 1, email, username)
}

// registerIn registers email with the password "Secret-123" on site 1 of account and returns the customer id.
func (w *customerWorld) registerIn(t *testing.T, account int64, email, username string) int64 {
	t.Helper()
	r, err := w.customers.Register(t.Context(), newEnv(), commands.Registration{AccountID: account, SiteID: 1,
		Email: email, Username: username, Password: "Secret-123"})
	if err != nil {
		t.Fatalf("register %s: %v", email, err)
	}
	return r.CustomerID
}

// issued returns the token of the newest one-time token event of the customer, as the mail outbox derives it.
func (w *customerWorld) issued(t *testing.T, id int64) string {
	t.Helper()
	events, err := w.store.ReadStream(t.Context(), "customer-"+strconv.FormatInt(id, 10), eventstore.Backwards,
		eventstore.StreamEnd(), 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if e.Type != "customer.one_time_token_issued" {
			continue
		}
		decoded, err := customer.Events.Decode(e.Type, 1, e.Data)
		if err != nil {
			t.Fatal(err)
		}
		issued := decoded.(customer.OneTimeTokenIssued)
		return w.tokens.Token(id, string(issued.Purpose), issued.Nonce)
	}
	t.Fatalf("customer %d has no one-time token", id)
	return ""
}
