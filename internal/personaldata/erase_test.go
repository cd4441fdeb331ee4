package personaldata_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// noSecretIn fails the test when a decoded event still spells one of the secrets.
func noSecretIn(t *testing.T, events []any, secrets []string) {
	t.Helper()
	text, err := json.Marshal(events)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range secrets {
		if strings.Contains(string(text), secret) {
			t.Errorf("the log still reads %q", secret)
		}
	}
}

// keyRows counts the subject's stored keys.
func (w *world) keyRows(subject string) int {
	w.t.Helper()
	var n int
	if err := w.db.Get(&n, `SELECT count(*) FROM personal_data_keys WHERE subject = $1`, subject); err != nil {
		w.t.Fatal(err)
	}
	return n
}

func TestAnErasureShredsTheKeyAndEveryPersonalFieldReadsAsEmpty(t *testing.T) {
	t.Parallel()
	everyBackend(t, func(t *testing.T, w *world) {
		// Given a customer sealed by the decorator, one written in plaintext before sealing existed, and
		// a newsletter entry that stays
		appendTo(t, w.store, "customer-207", annsHistory(207)...)
		appendTo(t, w.inner, "customer-101", annsHistory(101)...)
		entry := ninasSubscription("nina@example.org")
		appendTo(t, w.store, "newsletter-abc", entry)
		if w.keyRows("customer-207") != 1 {
			t.Fatal("the sealed customer has no key")
		}

		// When both customers are erased
		appendTo(t, w.store, "customer-207", customer.Erased{CustomerID: 207, ErasedAt: at})
		appendTo(t, w.store, "customer-101", customer.Erased{CustomerID: 101, ErasedAt: at})

		// Then the key is gone
		if n := w.keyRows("customer-207"); n != 0 {
			t.Fatalf("%d keys left after the erasure", n)
		}
		// And every read, by this process or another, gives the events without any personal value,
		// their other fields intact
		other := w.decorator()
		for read, events := range map[string][]eventstore.RecordedEvent{
			"ReadStream":            append(readStream(t, w.store, "customer-207"), readStream(t, w.store, "customer-101")...),
			"ReadAll":               readAll(t, other, 3),
			"SubscribeAll":          subscribed(t, w.decorator(), 2*len(annsHistory(0))+3),
			"ReadStream, one event": readStream(t, w.decorator(), "customer-207")[:1],
		} {
			got := decoded(t, events)
			noSecretIn(t, got, annsSecrets)
			if read != "ReadStream" {
				continue
			}
			registered := got[0].(customer.Registered)
			if registered.Email != "" || registered.Profile.FirstName != "" || registered.CustomerID != 207 ||
				registered.SiteID != 1232 || registered.Method != customer.MethodPassword || !registered.RegisteredAt.Equal(at) {
				t.Errorf("%s: registered = %+v, want personal fields empty and the others kept", read, registered)
			}
			if address := got[1].(customer.AddressAdded); address.Address != (customer.Address{}) {
				t.Errorf("%s: address = %+v, want the zero address", read, address.Address)
			}
		}
		// And the entry of another subject is still readable
		if got := decoded(t, readStream(t, other, "newsletter-abc")); !reflect.DeepEqual(got, []any{entry}) {
			t.Errorf("newsletter entry = %+v, want %+v", got, entry)
		}
	})
}

func TestAnEntrySubscribedAgainAfterItsErasureGetsANewKey(t *testing.T) {
	t.Parallel()
	w := newWorld(t, backends[0])
	// Given an entry subscribed, erased, then subscribed again by the same email
	first := ninasSubscription("nina@example.org")
	appendTo(t, w.store, "newsletter-abc", first)
	appendTo(t, w.store, "newsletter-abc", newsletter.Erased{SiteID: 1232, ErasedAt: at})
	second := ninasSubscription("nina@example.org")
	second.Details.FirstName = "Nina"
	appendTo(t, w.store, "newsletter-abc", second)

	// Then the second subscription reads back, the erased one does not
	got := decoded(t, readStream(t, w.decorator(), "newsletter-abc"))
	want := []any{newsletter.Subscribed{SiteID: 1232, SubscribedAt: at}, newsletter.Erased{SiteID: 1232, ErasedAt: at}, second}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	// And it is sealed under generation 2, the only key left
	var generations []int
	if err := w.db.Select(&generations, `SELECT generation FROM personal_data_keys WHERE subject = 'newsletter-abc'`); err != nil {
		t.Fatal(err)
	}
	stored := readStream(t, w.inner, "newsletter-abc")[2]
	if !reflect.DeepEqual(generations, []int{2}) || !strings.Contains(string(stored.Data), `"g":2}`) {
		t.Fatalf("keys %v, stored %s; want generation 2 only", generations, stored.Data)
	}
	// And erasing again shreds the new generation too
	appendTo(t, w.store, "newsletter-abc", newsletter.Erased{SiteID: 1232, ErasedAt: at})
	noSecretIn(t, decoded(t, readStream(t, w.decorator(), "newsletter-abc")), []string{"nina@", "Nina", "203.0.113.77"})
}

func TestAnErasureByAnotherProcessStopsTheReadsOfThisOne(t *testing.T) {
	t.Parallel()
	w := newWorld(t, backends[0])
	appendTo(t, w.store, "customer-207", annsHistory(207)...)
	// Given this process read the customer (its key is cached)
	if got := decoded(t, readStream(t, w.store, "customer-207")); got[0].(customer.Registered).Email == "" {
		t.Fatal("the customer does not read before the erasure")
	}
	// When another process erases the customer
	appendTo(t, w.decorator(), "customer-207", customer.Erased{CustomerID: 207, ErasedAt: at})

	firstEvent := func() customer.Registered {
		events, err := w.store.ReadStream(t.Context(), "customer-207", eventstore.Forwards, eventstore.StreamStart(), 1)
		if err != nil {
			t.Fatal(err)
		}
		return decoded(t, events)[0].(customer.Registered)
	}
	// Then a read that does not reach the erasure event may still use the cached key, for at most the TTL
	if firstEvent().Email == "" {
		t.Log("the erasure was seen before the cache expired")
	}
	// And any read that reaches the erasure event evicts the key at once
	noSecretIn(t, decoded(t, readStream(t, w.store, "customer-207")), annsSecrets)
	if got := firstEvent(); got.Email != "" {
		t.Fatalf("after reading the erasure: %+v", got)
	}
	// And without reading it, the cached key expires
	appendTo(t, w.store, "customer-208", annsHistory(208)...)
	if firstEvent := readStream(t, w.store, "customer-208")[:1]; decoded(t, firstEvent)[0].(customer.Registered).Email == "" {
		t.Fatal("customer 208 does not read")
	}
	appendTo(t, w.decorator(), "customer-208", customer.Erased{CustomerID: 208, ErasedAt: at})
	w.clock.advance(2 * time.Minute)
	events, err := w.store.ReadStream(t.Context(), "customer-208", eventstore.Forwards, eventstore.StreamStart(), 1)
	if err != nil {
		t.Fatal(err)
	}
	noSecretIn(t, decoded(t, events), annsSecrets)
}
