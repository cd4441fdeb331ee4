package projections

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

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

// TestPayloadsDecodeAsEncodingJSONDecodesThem holds unmarshalPayload to encoding/json: for every event type of
// every aggregate, random values as the log stores them (encoding/json's Marshal, the registry's Encode)
// decode to the same value both ways, upcasters included.
func TestPayloadsDecodeAsEncodingJSONDecodesThem(t *testing.T) {
	t.Parallel()
	registry, err := aggregates.Merge(catalog.Events, customer.Events, idblock.Events, intent.Events, invoice.Events,
		newsletter.Events, order.Events, reservation.Events, stock.Events, subscription.Events, wallet.Events)
	if err != nil {
		t.Fatal(err)
	}
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
				// when it is decoded by encoding/json and by the projections' parser, from every schema version
				for version := 1; version <= encoded.SchemaVersion; version++ {
					want, wantErr := registry.Decode(name, version, encoded.Data)
					got, gotErr := registry.DecodeWith(unmarshalPayload, name, version, encoded.Data)
					// then both give the same value, or both fail
					if (wantErr == nil) != (gotErr == nil) || !reflect.DeepEqual(got, want) {
						t.Fatalf("seed %d, version %d, payload %s:\nencoding/json: %#v (%v)\nprojections:   %#v (%v)",
							seed, version, encoded.Data, want, wantErr, got, gotErr)
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

// fillRandomly sets v (settable) to a random value of its type: every kind events are made of, strings with
// escapes and non-ASCII text, nil and empty slices, maps and pointers, and any holding what JSON can hold.
func fillRandomly(r *rand.Rand, v reflect.Value, depth int) {
	if v.Type() == reflect.TypeFor[json.RawMessage]() {
		v.SetBytes([]byte(`{"k":[1,"x",null]}`)[:r.IntN(2)*18])
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 1)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(r.Uint64()) >> r.UintN(64)) // any magnitude, either sign; SetInt truncates to the type
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		v.SetUint(r.Uint64() >> r.UintN(64))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(r.Int64N(1<<40)) / float64(int64(1)<<r.UintN(30)))
	case reflect.String:
		if reflect.PointerTo(v.Type()).Implements(reflect.TypeFor[json.Unmarshaler]()) { // JSON text (catalog.Document)
			var document any
			fillAny(r, reflect.ValueOf(&document).Elem(), depth+1)
			text, _ := json.Marshal(document)
			v.SetString(string(text))
			return
		}
		v.SetString(randomText(r))
	case reflect.Struct:
		fillStruct(r, v, depth)
	case reflect.Slice:
		if n := r.IntN(4) - 1; n >= 0 && depth < 4 {
			v.Set(reflect.MakeSlice(v.Type(), n, n))
			for i := range n {
				fillRandomly(r, v.Index(i), depth+1)
			}
		}
	case reflect.Array:
		for i := range v.Len() {
			fillRandomly(r, v.Index(i), depth+1)
		}
	case reflect.Map:
		if n := r.IntN(4) - 1; n >= 0 && depth < 4 {
			v.Set(reflect.MakeMap(v.Type()))
			for range n {
				key, item := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
				fillRandomly(r, key, depth+1)
				fillRandomly(r, item, depth+1)
				v.SetMapIndex(key, item)
			}
		}
	case reflect.Pointer:
		if r.IntN(3) > 0 && depth < 4 {
			v.Set(reflect.New(v.Type().Elem()))
			fillRandomly(r, v.Elem(), depth+1)
		}
	case reflect.Interface:
		fillAny(r, v, depth)
	}
}

// fillStruct fills the exported fields of a struct; a time.Time gets a random instant in a random offset.
func fillStruct(r *rand.Rand, v reflect.Value, depth int) {
	if v.Type() == reflect.TypeFor[time.Time]() {
		v.Set(reflect.ValueOf(randomTime(r)))
		return
	}
	for i := range v.NumField() {
		if v.Type().Field(i).IsExported() {
			fillRandomly(r, v.Field(i), depth+1)
		}
	}
}

// fillAny sets an any to what encoding/json decodes JSON into: nil, a bool, a float64, a string, a slice or a map.
func fillAny(r *rand.Rand, v reflect.Value, depth int) {
	var value any
	switch r.IntN(6) {
	case 1:
		value = r.IntN(2) == 1
	case 2:
		value = float64(r.Int64N(1<<53)) / 1024
	case 3:
		value = randomText(r)
	case 4:
		if depth < 4 {
			items := make([]any, r.IntN(3))
			for i := range items {
				fillAny(r, reflect.ValueOf(&items[i]).Elem(), depth+1)
			}
			value = items
		}
	case 5:
		if depth < 4 {
			fields := map[string]any{}
			for range r.IntN(3) {
				var item any
				fillAny(r, reflect.ValueOf(&item).Elem(), depth+1)
				fields[randomText(r)] = item
			}
			value = fields
		}
	}
	if value != nil {
		v.Set(reflect.ValueOf(value))
	}
}

// textParts are pieces of strings that exercise escaping: HTML characters, quotes, control characters, line
// separators, non-ASCII letters, an emoji (a surrogate pair when escaped) and a byte that is not UTF-8.
var textParts = []string{"", "a", "Zoë", "<&>", `"\`, "\n\t\x01", "\u2028", "😀", "\xff", "reader@example.org", "0"}

// randomTime is an instant from 1938 to 2096, to the nanosecond, in UTC or one of two offsets.
func randomTime(r *rand.Rand) time.Time {
	zones := []*time.Location{time.UTC, time.FixedZone("", 5*3600+1800), time.FixedZone("", -8*3600)}
	return time.Unix(r.Int64N(4e9)-1e9, r.Int64N(1e9)).In(zones[r.IntN(len(zones))])
}

func randomText(r *rand.Rand) string {
	text := ""
	for range r.IntN(4) {
		text += textParts[r.IntN(len(textParts))]
	}
	return text
}
