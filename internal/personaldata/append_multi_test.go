package personaldata_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestAMultiStreamAppendSealsEveryPart(t *testing.T) {
	t.Parallel()
	everyBackend(t, func(t *testing.T, w *world) {
		// Given a customer's history and a newsletter entry
		history, entry := annsHistory(207), ninasSubscription("nina@example.org")
		// When both are appended in one multi-stream append through the decorator
		_, err := w.store.AppendMulti(t.Context(), []eventstore.StreamAppend{
			{Stream: "customer-207", Expected: eventstore.NoStream(), Events: encode(t, history...)},
			{Stream: "newsletter-abc", Expected: eventstore.NoStream(), Events: encode(t, entry)}})
		if err != nil {
			t.Fatal(err)
		}
		// Then the inner store holds no personal value in the clear
		var stored strings.Builder
		for _, e := range readAll(t, w.inner, 100) {
			stored.Write(e.Data)
		}
		for _, secret := range append(annsSecrets, "nina@example.org") {
			if strings.Contains(stored.String(), secret) {
				t.Errorf("the store holds %q in the clear", secret)
			}
		}
		// and the decorator reads both streams back as written
		if got := decoded(t, readStream(t, w.store, "customer-207")); !reflect.DeepEqual(got, history) {
			t.Errorf("customer = %+v\nwant %+v", got, history)
		}
		if got := decoded(t, readStream(t, w.store, "newsletter-abc")); !reflect.DeepEqual(got, []any{entry}) {
			t.Errorf("newsletter entry = %+v, want %+v", got, entry)
		}
	})
}

func TestAMultiStreamAppendRefusesAnErasureBeforeShreddingAnything(t *testing.T) {
	t.Parallel()
	everyBackend(t, func(t *testing.T, w *world) {
		// Given a customer whose personal data is stored sealed
		history := annsHistory(207)
		appendTo(t, w.store, "customer-207", history...)
		// When a multi-stream append carries the customer's erasure beside a part the decorator refuses
		// (personal data outside a data subject's stream)
		_, err := w.store.AppendMulti(t.Context(), []eventstore.StreamAppend{
			{Stream: "customer-207", Expected: eventstore.Any(), Events: encode(t, customer.Erased{CustomerID: 207, ErasedAt: at})},
			{Stream: "orders-1", Expected: eventstore.Any(), Events: encode(t, history[0])}})
		// Then it is refused, nothing is written, and the customer's keys are intact: the data still reads
		if err == nil {
			t.Fatal("a multi-stream append with an erasure succeeded")
		}
		if got := decoded(t, readStream(t, w.decorator(), "customer-207")); !reflect.DeepEqual(got, history) {
			t.Errorf("customer after the refused append = %+v\nwant %+v", got, history)
		}
		if _, err := w.inner.ReadStream(t.Context(), "orders-1", eventstore.Forwards, eventstore.StreamStart(), 1); !isNotFound(err) {
			t.Errorf("something was written to orders-1: %v", err)
		}
	})
}
