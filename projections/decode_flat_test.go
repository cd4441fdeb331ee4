package projections

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
)

// flatTypes are the registered event types that read their payloads themselves (aggregates.FlatPayload),
// found in every aggregate's registry, so a type that starts implementing it is fuzzed without a change here.
func flatTypes(tb testing.TB) []reflect.Type {
	tb.Helper()
	registry := everyEventType(tb)
	var types []reflect.Type
	for _, name := range registry.Names() {
		goType, _ := registry.GoType(name)
		if goType.Implements(reflect.TypeFor[aggregates.FlatPayload]()) {
			types = append(types, goType)
		}
	}
	if len(types) == 0 {
		tb.Fatal("no registered type implements aggregates.FlatPayload")
	}
	return types
}

// flatPayloads are seeds for the fuzz: what the registry writes (random values, strings with escapes
// included) and what a log can hold that it never writes.
func flatPayloads(tb testing.TB, goType reflect.Type) []string {
	tb.Helper()
	payloads := []string{
		`{}`, ` { } `, `{"site_id":7,"site_id":8}`, `{"email":"a","email":"b"}`,
		`{"details":{"first_name":"a"},"details":{"last_name":"b"}}`, `{"details":{}}`, `{"details":null}`,
		`{"email":null}`, `{"Email":"x"}`, `{"EMAIL":"x"}`, "{\"\u017fite_id\":7}", `{"other":1}`,
		`{"site_id":-0}`, `{"site_id":007}`, `{"site_id":1.0}`, `{"site_id":1e2}`, `{"site_id":-}`,
		`{"site_id":9223372036854775807}`, `{"site_id":9223372036854775808}`, `{"site_id":-9223372036854775808}`,
		`{"site_id":"7"}`, `{"email":"a\"b"}`, `{"email":"caf\u00e9"}`, `{"email":"café"}`, "{\"email\":\"\xff\"}",
		"{\"email\":\"a\tb\"}", `{"email":7}`, `{"subscribed_at":"2026-12-05T14:00:00Z"}`,
		`{"updated_at":"2026-12-05T14:00:00.123456789+05:30"}`, `{"erased_at":"2026-12-05T24:00:00Z"}`,
		`{"unsubscribed_at":"2026-12-05t14:00:00Z"}`, `{"subscribed_at":"2026-12-05T14:00:00"}`,
		`{"subscribed_at":null}`, `{"site_id":7} {}`, `{"site_id":7} `, `{"site_id":7`, `{"site_id":7,}`, `{,}`,
		`[]`, `null`, ``, ` `, "\ufeff{}", `{"site_id" 7}`, `{"details":{"source":"web",}}`,
	}
	for seed := range uint64(20) {
		value := reflect.New(goType).Elem()
		fillRandomly(rand.New(rand.NewPCG(seed, 15)), value, 0)
		encoded, err := json.Marshal(value.Interface())
		if err != nil {
			tb.Fatal(err)
		}
		payloads = append(payloads, string(encoded))
	}
	return payloads
}

// FuzzFlatPayloadsReadAsEncodingJSON holds every ReadFlat to the general parsers: a payload it accepts
// reads to the value encoding/json and the projections' JSON v2 give, and one it declines is theirs to
// read or refuse. It must not panic.
func FuzzFlatPayloadsReadAsEncodingJSON(f *testing.F) {
	types := flatTypes(f)
	for i, goType := range types {
		for _, payload := range flatPayloads(f, goType) {
			f.Add(uint8(i), []byte(payload))
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, payload []byte) {
		assertFlatReadsAsEncodingJSON(t, types[int(which)%len(types)], payload)
	})
}

func assertFlatReadsAsEncodingJSON(t *testing.T, goType reflect.Type, payload []byte) {
	// given a payload; when the type reads it itself
	got, ok := reflect.Zero(goType).Interface().(aggregates.FlatPayload).ReadFlat(aggregates.NewFlatReader(payload))
	if !ok {
		return // declined: the general parser reads it, as before
	}
	// then both general parsers read it, to the same value
	parsers := map[string]aggregates.Unmarshal{"encoding/json": json.Unmarshal, "JSON v2": unmarshalPayload}
	for parser, unmarshal := range parsers {
		want := reflect.New(goType)
		if err := unmarshal(payload, want.Interface()); err != nil {
			t.Fatalf("%v.ReadFlat accepted %q, which %s refuses: %v", goType, payload, parser, err)
		}
		if !reflect.DeepEqual(got, want.Elem().Interface()) {
			t.Fatalf("%v.ReadFlat(%q) = %#v; %s reads %#v", goType, payload, got, parser, want.Elem().Interface())
		}
	}
}

// TestFlatPayloadsReadWhatTheRegistryWrites: the usual payloads are read without the general parser, or the
// speed this buys is lost without any test failing.
func TestFlatPayloadsReadWhatTheRegistryWrites(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 1, 1, 0, 0, 0, 123_000_000, time.UTC)
	details := newsletter.Details{FirstName: "Zoë", LastName: "Reader 7", PostalCode: "10001", Source: "web",
		Lists: "daily,weekly", ConsentURL: "https://example.org/consent", ConsentText: "Yes, please",
		ConsentType: "explicit", ConsentIP: "192.0.2.1"}
	events := []any{
		newsletter.Subscribed{SiteID: 12, Email: "ada@example.org", Details: details, SubscribedAt: at},
		newsletter.Updated{SiteID: -3, Email: "ada@example.org", Details: details, UpdatedAt: at},
		newsletter.Unsubscribed{SiteID: 0, Email: "", UnsubscribedAt: at},
		// an offset no time zone uses: a zone the machine runs in would read back as time.Local
		newsletter.Erased{SiteID: 12, ErasedAt: at.In(time.FixedZone("", 5*3600+47*60))},
	}
	for _, event := range events {
		t.Run(fmt.Sprintf("%T", event), func(t *testing.T) {
			t.Parallel()
			// given an event as the registry stores it
			encoded, err := newsletter.Events.Encode(event)
			if err != nil {
				t.Fatal(err)
			}
			// when its type reads it
			got, ok := event.(aggregates.FlatPayload).ReadFlat(aggregates.NewFlatReader(encoded.Data))
			// then it reads it, to the event
			if !ok || !reflect.DeepEqual(got, event) {
				t.Fatalf("ReadFlat(%s) = %#v, %v; want %#v", encoded.Data, got, ok, event)
			}
			assertFlatReadsAsEncodingJSON(t, reflect.TypeOf(event), encoded.Data)
		})
	}
}
