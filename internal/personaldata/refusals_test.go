package personaldata_test

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/personaldata"
)

func TestAppendsThatCouldNeverBeErasedAreRefused(t *testing.T) {
	t.Parallel()
	w := newWorld(t, backends[0])
	registered := annsHistory(207)[0]
	erased := customer.Erased{CustomerID: 207, ErasedAt: at}
	cases := []struct {
		name   string
		stream string
		events []any
		want   string
	}{
		{"personal data outside a subject's stream", "orders-1", []any{registered}, "not a data subject's"},
		{"an erasure outside a subject's stream", "orders-1", []any{erased}, "not a data subject's"},
		{"an erasure sharing its append with personal data", "customer-207", []any{registered, erased}, "appended alone"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := w.store.Append(t.Context(), c.stream, eventstore.Any(), encode(t, c.events...)...)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Append = %v, want an error containing %q", err, c.want)
			}
			if _, err := w.inner.ReadStream(t.Context(), c.stream, eventstore.Forwards, eventstore.StreamStart(), 1); !isNotFound(err) {
				t.Fatalf("something was written to %s: %v", c.stream, err)
			}
		})
	}
	t.Run("an event without personal values outside a subject's stream passes", func(t *testing.T) {
		t.Parallel()
		appendTo(t, w.store, "orders-2", customer.Registered{CustomerID: 9, Method: "x", RegisteredAt: at})
	})
}

func TestSealedValuesThatCannotBeOpenedAreErrorsNotEmptyValues(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		breaks func(t *testing.T, w *world)
		want   error
	}{
		{"keys deleted without an erasure (another database)", func(t *testing.T, w *world) {
			if _, err := w.db.Exec(`DELETE FROM personal_data_keys`); err != nil {
				t.Fatal(err)
			}
		}, personaldata.ErrMissingKey},
		{"a master key this process does not have", func(t *testing.T, w *world) {
			if _, err := w.db.Exec(`UPDATE personal_data_keys SET master_key_id = 'local:0000'`); err != nil {
				t.Fatal(err)
			}
		}, personaldata.ErrUnknownMasterKey},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// Given a sealed customer whose keys then break
			w := newWorld(t, backends[0])
			appendTo(t, w.store, "customer-207", annsHistory(207)...)
			c.breaks(t, w)
			// When another process reads it, then it fails loudly
			_, err := w.decorator().ReadStream(t.Context(), "customer-207", eventstore.Forwards, eventstore.StreamStart(), 10)
			if !errors.Is(err, c.want) {
				t.Fatalf("ReadStream = %v, want %v", err, c.want)
			}
		})
	}
	t.Run("a sealed value moved to another subject does not open", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, backends[0])
		appendTo(t, w.store, "customer-207", annsHistory(207)[0])
		appendTo(t, w.store, "customer-208", annsHistory(208)[0])
		// Given the sealed email of 207 copied into an event of 208
		stolen := readStream(t, w.inner, "customer-207")[0]
		var fields map[string]json.RawMessage
		_ = json.Unmarshal(stolen.Data, &fields)
		forged, _ := json.Marshal(map[string]json.RawMessage{"customer_id": []byte("208"), "email": fields["email"],
			"changed_at": []byte(`"2026-01-02T03:04:05Z"`)})
		if _, err := w.inner.Append(t.Context(), "customer-208", eventstore.Any(), eventstore.EventData{ID: uuid.New(),
			Type: "customer.email_changed", Data: forged, Metadata: []byte(`{"schema_version":1}`)}); err != nil {
			t.Fatal(err)
		}
		// Then reading 208 fails instead of giving 207's email
		if _, err := w.store.ReadStream(t.Context(), "customer-208", eventstore.Forwards, eventstore.StreamStart(), 10); err == nil ||
			!strings.Contains(err.Error(), "authentication failed") {
			t.Fatalf("ReadStream = %v, want the moved value refused", err)
		}
	})
}

func TestConcurrentFirstAppendsOfASubjectShareOneKey(t *testing.T) {
	t.Parallel()
	w := newWorld(t, backends[0])
	// Given 8 processes appending the first sealed events of one subject at once
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = w.decorator().Append(t.Context(), "customer-207", eventstore.Any(), encode(t, annsHistory(207)[1])...)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	// Then one key exists and every event opens
	if n := w.keyRows("customer-207"); n != 1 {
		t.Fatalf("%d keys, want 1", n)
	}
	if got := decoded(t, readStream(t, w.decorator(), "customer-207")); len(got) != 8 ||
		got[7].(customer.AddressAdded).Address.Line1 != "42 Wallaby Way" {
		t.Fatalf("events = %+v", got)
	}
}
