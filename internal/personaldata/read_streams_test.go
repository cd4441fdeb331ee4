package personaldata_test

import (
	"reflect"
	"testing"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestReadingSeveralStreamsAtOnceOpensEveryTail(t *testing.T) {
	t.Parallel()
	everyBackend(t, func(t *testing.T, w *world) {
		// Given a customer's sealed history and a newsletter entry
		history, entry := annsHistory(207), ninasSubscription("nina@example.org")
		appendTo(t, w.store, "customer-207", history...)
		appendTo(t, w.store, "newsletter-abc", entry)
		// When their tails and a stream never written are read in one call through a fresh decorator
		tails, err := w.decorator().ReadStreams(t.Context(), []eventstore.StreamRead{
			{Stream: "newsletter-abc", Limit: 10}, {Stream: "customer-207", From: 1, Limit: 10},
			{Stream: "customer-999", Limit: 10}})
		if err != nil || len(tails) != 3 {
			t.Fatalf("ReadStreams: %d tails, %v", len(tails), err)
		}
		// Then each tail reads as written, and the stream never written is empty
		if got := decoded(t, tails[0]); !reflect.DeepEqual(got, []any{entry}) {
			t.Errorf("newsletter entry = %+v, want %+v", got, entry)
		}
		if got := decoded(t, tails[1]); !reflect.DeepEqual(got, history[1:]) {
			t.Errorf("customer from revision 1 = %+v\nwant %+v", got, history[1:])
		}
		if len(tails[2]) != 0 {
			t.Errorf("a stream never written read %d events", len(tails[2]))
		}
	})
}
