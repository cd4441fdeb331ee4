package projections

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

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

// upperCaseKeys is data with every object key in upper case, numbers kept exactly as written.
func upperCaseKeys(t *testing.T, data []byte) []byte {
	t.Helper()
	decoder := json.NewDecoder(bytes.NewReader(data))
	decoder.UseNumber()
	var document any
	if err := decoder.Decode(&document); err != nil {
		t.Fatalf("re-read %s: %v", data, err)
	}
	var upper func(any) any
	upper = func(v any) any {
		switch v := v.(type) {
		case map[string]any:
			out := make(map[string]any, len(v))
			for key, item := range v {
				out[strings.ToUpper(key)] = upper(item)
			}
			return out
		case []any:
			for i := range v {
				v[i] = upper(v[i])
			}
		}
		return v
	}
	out, err := json.Marshal(upper(document))
	if err != nil {
		t.Fatal(err)
	}
	return out
}
