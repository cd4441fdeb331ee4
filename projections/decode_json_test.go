package projections

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/idblock"
	"github.com/pelcro-oss/pelcro-api/aggregates/intent"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/aggregates/order"
	"github.com/pelcro-oss/pelcro-api/aggregates/reservation"
	"github.com/pelcro-oss/pelcro-api/aggregates/stock"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
)

// everyEventType is every aggregate's registry in one.
func everyEventType(tb testing.TB) *aggregates.Registry {
	tb.Helper()
	registry, err := aggregates.Merge(catalog.Events, customer.Events, idblock.Events, intent.Events, invoice.Events,
		newsletter.Events, order.Events, reservation.Events, stock.Events, subscription.Events, wallet.Events)
	if err != nil {
		tb.Fatal(err)
	}
	return registry
}

// TestPayloadsDecodeAsEncodingJSONDecodesThem holds unmarshalPayload to encoding/json: for every event type of
// every aggregate, random values as the log stores them (encoding/json's Marshal, the registry's Encode)
// decode to the same value both ways, upcasters included.
func TestPayloadsDecodeAsEncodingJSONDecodesThem(t *testing.T) {
	t.Parallel()
	registry := everyEventType(t)
	for _, name := range registry.Names() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			goType, _ := registry.GoType(name)
			for seed := range uint64(30) {
				// given a random value of the type, stored as the log stores it
				value := reflect.New(goType).Elem()
				fillRandomly(rand.New(rand.NewPCG(seed, 14)), value, 0)
				encoded, err := registry.Encode(value.Interface())
				if err != nil {
					t.Fatalf("seed %d: encode: %v", seed, err)
				}
				// when it is decoded by encoding/json and by the projections' parser, from every schema version,
				// as written and with every key spelled in upper case (encoding/json matches keys without case)
				for _, payload := range [][]byte{encoded.Data, upperCaseKeys(t, encoded.Data)} {
					for version := 1; version <= encoded.SchemaVersion; version++ {
						want, wantErr := registry.Decode(name, version, payload)
						got, gotErr := registry.DecodeWith(unmarshalPayload, name, version, payload)
						// then both give the same value, or both fail
						if (wantErr == nil) != (gotErr == nil) || !reflect.DeepEqual(got, want) {
							t.Fatalf("seed %d, version %d, payload %s:\nencoding/json: %#v (%v)\nprojections:   %#v (%v)",
								seed, version, payload, want, wantErr, got, gotErr)
						}
					}
				}
			}
		})
	}
}

// TestPayloadsDecodeAsEncodingJSONDecodesThemWhenWrittenByHand covers the JSON a log can hold that
// encoding/json's Marshal never writes: other spellings of the keys, unknown keys, nulls, repeated keys.
func TestPayloadsDecodeAsEncodingJSONDecodesThemWhenWrittenByHand(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, payload string }{
		{"keys in another case", `{"SITE_ID":7,"Email":"a@b.c","Details":{"First_Name":"Ann"}}`},
		{"unknown keys", `{"site_id":7,"extra":{"x":[1,2]},"details":{"nope":true}}`},
		{"nulls", `{"site_id":null,"email":null,"details":null,"subscribed_at":null}`},
		{"a repeated key: the last wins", `{"email":"first@b.c","email":"last@b.c"}`},
		{"escapes", `{"email":"\u0061\ud83d\ude00\n\"","details":{"consent_text":"line\u2028two"}}`},
		{"a time with an offset", `{"subscribed_at":"2026-12-05T14:00:00.123456789+05:30"}`},
		{"a wrong type", `{"site_id":"7"}`},
		{"not an object", `[1]`},
		{"truncated", `{"site_id":7`},
		{"null", `null`},
		{"trailing data", `{"site_id":7} {}`},
		{"a byte order mark", "\ufeff{\"site_id\":7}"},
		{"invalid UTF-8 in a string", "{\"email\":\"a\xffb\",\"details\":{\"first_name\":\"\xc3\"}}"},
		{"a lone surrogate", `{"email":"\ud800x"}`},
		{"a Kelvin sign for k and a long s for s", "{\"\u017fite_id\":7,\"details\":{\"\u212aey\":1}}"},
		{"numbers at the edges", `{"site_id":18446744073709551616}`},
		{"a number in exponent form", `{"site_id":1e2}`},
		{"negative zero", `{"site_id":-0}`},
		{"a time at 24:00", `{"subscribed_at":"2026-12-05T24:00:00Z"}`},
		{"a time with a lower-case t", `{"subscribed_at":"2026-12-05t14:00:00Z"}`},
		{"a NUL escaped in a string", `{"email":"a\u0000b"}`},
	}
	registry := newsletter.Events
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// given a hand-written newsletter.subscribed payload; when both parsers decode it
			want, wantErr := registry.Decode("newsletter.subscribed", 1, []byte(c.payload))
			got, gotErr := registry.DecodeWith(unmarshalPayload, "newsletter.subscribed", 1, []byte(c.payload))
			// then they agree
			if (wantErr == nil) != (gotErr == nil) || !reflect.DeepEqual(got, want) {
				t.Fatalf("encoding/json: %#v (%v)\nprojections:   %#v (%v)", want, wantErr, got, gotErr)
			}
		})
	}
}
