package commands_test

import (
	"context"
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// tailCounter is a readCountingStore that counts ReadStreams calls too, and the appends made under a
// read-ahead (aheadAppends). afterMulti, when set, runs once after the first ReadStreams (a write landing
// right after it).
type tailCounter struct {
	*readCountingStore
	multi        int
	aheadAppends []string
	afterMulti   func()
}

func (c *tailCounter) Append(ctx context.Context, stream string, expected eventstore.ExpectedRevision,
	events ...eventstore.EventData) (eventstore.AppendResult, error) {
	if commands.CarriesReadAhead(ctx) {
		c.mu.Lock()
		c.aheadAppends = append(c.aheadAppends, stream)
		c.mu.Unlock()
	}
	return c.Store.Append(ctx, stream, expected, events...)
}

func (c *tailCounter) ReadStreams(ctx context.Context, reads []eventstore.StreamRead) ([][]eventstore.RecordedEvent, error) {
	tails, err := eventstore.ReadStreams(ctx, c.Store, reads)
	c.mu.Lock()
	c.multi++
	after := c.afterMulti
	c.afterMulti = nil
	c.mu.Unlock()
	if after != nil {
		after()
	}
	return tails, err
}

// addressOf adds a default shipping address to the customer owner and returns its id: a creation naming
// it checks the customer's stream too, and reads it ahead with the currency record.
func (w *salesWorld) addressOf(t *testing.T, owner int64) int64 {
	t.Helper()
	_, address, err := w.customers.AddAddress(t.Context(), newEnv(), commands.NewAddress{Target: who(owner),
		Address: customer.Address{Type: customer.AddressShipping, Line1: "1 Main St", Country: "CA", State: "QC", IsDefault: true}})
	if err != nil {
		t.Fatal(err)
	}
	return address
}

// counted is the world's subscription commands over a tailCounter of its store.
func (w *salesWorld) counted() (commands.Subscriptions, *tailCounter) {
	store := &tailCounter{readCountingStore: &readCountingStore{Store: w.store, reads: map[string]int{}}}
	subs := w.subscriptions
	subs.Store, subs.Pricer.Store = store, store
	return subs, store
}

func TestACreationReadsTheStreamsItChecksInOneRoundTrip(t *testing.T) {
	t.Parallel()
	w := newSalesWorld(t)
	cases := []struct {
		name        string
		withAddress bool
		multi       int
		reads       int
	}{
		{"an address given: the customer's stream and the currency record together", true, 1, 0},
		{"no address: the currency record alone, read as usual (one statement either way)", false, 0, 1},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// given a customer with an address and a first free subscription (their currency fixed)
			owner := w.register(t, "reads"+string(rune('a'+i))+"@example.com", "reads"+string(rune('a'+i)))
			address := w.addressOf(t, owner)
			subs, store := w.counted()
			in := commands.NewSubscription{Target: who(owner), PlanID: 4052}
			if tc.withAddress {
				in.AddressID = address
			}
			if _, err := subs.Create(t.Context(), newEnv(), in); err != nil {
				t.Fatalf("first subscription: %v", err)
			}
			store.mu.Lock()
			store.reads, store.multi = map[string]int{}, 0
			store.mu.Unlock()

			// when they subscribe again, without an Idempotency-Key (a command id drawn for the request)
			created, err := subs.Create(t.Context(), newEnv().Drawn(&commands.DrawnIDs{}), in)

			// then the subscription is created with the address, after one multi-stream read and no read
			// of a stream of its own when it names an address, else after one read of the currency record
			if err != nil {
				t.Fatalf("second subscription: %v", err)
			}
			if s := w.read(t, created.SubscriptionID); s.Status != subscription.StatusActive || s.AddressID != in.AddressID {
				t.Fatalf("subscription = %+v, want active with address %d", s, in.AddressID)
			}
			store.mu.Lock()
			defer store.mu.Unlock()
			if store.multi != tc.multi || len(store.reads) != tc.reads {
				t.Fatalf("%d multi-stream reads and stream reads %v, want %d and %d", store.multi, store.reads, tc.multi, tc.reads)
			}
		})
	}
}

func TestACurrencyFixedRightAfterTheCreationReadAheadStillRefusesIt(t *testing.T) {
	t.Parallel()
	// given a new customer with an address, and another process that fixes their currency to euros right
	// after this creation read its checks' streams
	w := newSalesWorld(t)
	owner := w.register(t, "ann@example.com", "ann")
	address := w.addressOf(t, owner)
	subs, store := w.counted()
	var rival error
	store.afterMulti = func() {
		_, rival = w.subscriptions.Create(context.Background(), newEnv(), commands.NewSubscription{Target: who(owner),
			PlanID: 4053, SendInvoice: true})
	}

	// when this creation, in dollars, goes on
	_, err := subs.Create(t.Context(), newEnv(), commands.NewSubscription{Target: who(owner), PlanID: 4052,
		AddressID: address})

	// then the rival's euros hold and this one is refused: the claim read the record again
	if rival != nil {
		t.Fatalf("rival creation in euros: %v", rival)
	}
	if !errors.Is(err, subscription.ErrCurrencyMismatch) {
		t.Fatalf("Create = %v, want a currency mismatch", err)
	}
	if got, err := w.subscriptions.CustomerCurrency(t.Context(), who(owner)); err != nil || got != "eur" {
		t.Fatalf("CustomerCurrency = %q, %v; want eur", got, err)
	}
}

func TestACreationWritesNothingUnderItsReadAhead(t *testing.T) {
	t.Parallel()
	w := newSalesWorld(t)
	cases := []struct {
		name    string
		plan    int64
		token   string
		refused bool
	}{
		{"a first free subscription: the currency claimed", 4052, "", false},
		{"a first sale declined: the currency claimed, then released", 4051, "tok_chargeCustomerFail", true},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// given a new customer with an address, their currency not fixed yet
			owner := w.register(t, "ahead"+string(rune('a'+i))+"@example.com", "ahead"+string(rune('a'+i)))
			address := w.addressOf(t, owner)
			subs, store := w.counted()

			// when they subscribe, naming the address
			_, err := subs.Create(t.Context(), newEnv(), commands.NewSubscription{Target: who(owner),
				PlanID: tc.plan, Token: tc.token, AddressID: address})

			// then the creation read ahead, and every append (the claim, its release) ran without the tails
			if (err != nil) != tc.refused {
				t.Fatalf("Create = %v, want refused %v", err, tc.refused)
			}
			store.mu.Lock()
			defer store.mu.Unlock()
			if store.multi != 1 || len(store.aheadAppends) != 0 {
				t.Fatalf("%d multi-stream reads, appends under the read-ahead %v; want one and none",
					store.multi, store.aheadAppends)
			}
		})
	}
}
