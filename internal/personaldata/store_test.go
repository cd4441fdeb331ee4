package personaldata_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/reservation"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/eventstore/postgres"
)

func TestSealedEventsReadBackAsWritten(t *testing.T) {
	t.Parallel()
	everyBackend(t, func(t *testing.T, w *world) {
		// Given a customer's and a newsletter entry's events appended through the decorator, and a
		// reservation (not a data subject)
		history := annsHistory(207)
		appendTo(t, w.store, "customer-207", history...)
		entry := ninasSubscription("nina@example.org")
		appendTo(t, w.store, "newsletter-abc", entry)
		claim := reservation.Claimed{OwnerID: 207, ClaimedAt: at}
		appendTo(t, w.store, "reservation-customer_email-k", claim)

		// When they are read back by every kind of read, then they decode to what was written
		reads := map[string][]eventstore.RecordedEvent{
			"ReadStream":                         readStream(t, w.store, "customer-207"),
			"ReadAll":                            only("customer-207", readAll(t, w.store, 2)),
			"SubscribeAll":                       only("customer-207", subscribed(t, w.store, len(history)+2)),
			"SubscribeAll, taking what is ready": only("customer-207", subscribedInBatches(t, w.store, len(history)+2)),
		}
		for read, events := range reads {
			if got := decoded(t, events); !reflect.DeepEqual(got, history) {
				t.Errorf("%s: %+v\nwant %+v", read, got, history)
			}
		}
		if got := decoded(t, readStream(t, w.store, "newsletter-abc")); !reflect.DeepEqual(got, []any{entry}) {
			t.Errorf("newsletter entry = %+v, want %+v", got, entry)
		}
		raw := readStream(t, w.inner, "reservation-customer_email-k")
		if got := decoded(t, readStream(t, w.store, "reservation-customer_email-k")); len(got) != 1 ||
			!strings.Contains(string(raw[0].Data), `"owner_id":207`) {
			t.Errorf("reservation = %+v (stored %s), want it passed through untouched", got, raw[0].Data)
		}
	})
}

func TestStoredBytesHoldNoPersonalData(t *testing.T) {
	t.Parallel()
	everyBackend(t, func(t *testing.T, w *world) {
		// Given a customer's events appended through the decorator
		appendTo(t, w.store, "customer-207", annsHistory(207)...)

		// When the store is read without the decorator
		var stored strings.Builder
		for _, e := range readAll(t, w.inner, 100) {
			stored.Write(e.Data)
			stored.Write(e.Metadata)
			stored.WriteString(e.StreamID)
		}
		if _, isPostgres := w.inner.(*postgres.Store); isPostgres { // and the raw table, byte for byte
			var table string
			if err := w.db.Get(&table, `SELECT string_agg(encode(data, 'escape') || encode(metadata, 'escape') || stream_id, '')
				FROM events`); err != nil {
				t.Fatal(err)
			}
			stored.WriteString(table)
		}
		// Then no personal value is there, and each personal field holds a sealed value
		for _, secret := range annsSecrets {
			if strings.Contains(stored.String(), secret) {
				t.Errorf("the store holds %q in the clear", secret)
			}
		}
		registered := readStream(t, w.inner, "customer-207")[0]
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(registered.Data, &fields); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"email", "username", "password_hash", "profile"} {
			if !strings.HasPrefix(string(fields[name]), `{"$sealed":"`) {
				t.Errorf("stored %s = %s, want a sealed value", name, fields[name])
			}
		}
		if string(fields["customer_id"]) != "207" || string(fields["method"]) != `"password"` {
			t.Errorf("stored non-personal fields changed: %s", registered.Data)
		}
	})
}

func TestEventsStoredInPlaintextBeforeSealingStillDecode(t *testing.T) {
	t.Parallel()
	everyBackend(t, func(t *testing.T, w *world) {
		// Given events written in plaintext before sealing existed (straight to the adapter)
		history := annsHistory(101)
		appendTo(t, w.inner, "customer-101", history...)
		// And a later event sealed on the same stream
		later := annsHistory(101)[1]
		appendTo(t, w.store, "customer-101", later)

		// When the stream is read through the decorator, then old and new events decode alike
		want := append(history, later)
		if got := decoded(t, readStream(t, w.store, "customer-101")); !reflect.DeepEqual(got, want) {
			t.Fatalf("got %+v\nwant %+v", got, want)
		}
	})
}
