package projections

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestDecodeAllNamesTheFirstEventThatFailsInLogOrder(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		broken     []int // indexes of events whose payload is not JSON
		wantFailed int   // -1: none fails
	}{
		{"every event decodes", nil, -1},
		{"one broken event at the end", []int{999}, 999},
		{"broken events in several parts: the first in log order", []int{3, 700, 998}, 3},
		{"a broken event nobody wants is never decoded", []int{1}, -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// given a thousand events, every other one wanted except event 1, some broken
			registry := testRegistry(t)
			events := make([]eventstore.RecordedEvent, 1000)
			for i := range events {
				data, _ := json.Marshal(ticked{N: i})
				if slices.Contains(c.broken, i) {
					data = []byte(`{"N":`)
				}
				events[i] = eventstore.RecordedEvent{ID: uuid.New(), Type: "test.ticked", Data: data, Revision: uint64(i)}
			}
			wanted := func(i int) bool { return i != 1 && (i%2 == 0 || slices.Contains(c.broken, i)) }

			// when they are decoded
			decoded, failed, err := decodeAll(registry, events, wanted)

			// then the first broken wanted event is named, or every wanted event is decoded and no other
			if c.wantFailed >= 0 {
				if err == nil || failed != c.wantFailed {
					t.Fatalf("decodeAll failed at %d with %v, want a failure at %d", failed, err, c.wantFailed)
				}
				return
			}
			if err != nil {
				t.Fatalf("decodeAll: %v", err)
			}
			for i, e := range decoded {
				got, ok := e.Data.(ticked)
				if wanted(i) != ok || (ok && (got.N != i || e.Revision != uint64(i))) {
					t.Fatalf("event %d decoded as %+v (wanted: %v)", i, e, wanted(i))
				}
			}
		})
	}
}
