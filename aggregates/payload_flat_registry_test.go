package aggregates_test

import (
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// flatNoted reads the one payload it knows, `{"n":7}`, itself, as 42 (a value the general parser never
// gives, so a test can tell who read it), and declines everything else.
type flatNoted struct {
	N int `json:"n"`
}

func (flatNoted) ReadFlat(r aggregates.FlatReader) (any, bool) {
	var n int64
	if r.Object(func(key string) bool { return key == "n" && r.Int64(&n) }) && r.End() && n == 7 {
		return flatNoted{N: 42}, true
	}
	return nil, false
}

// TestTheRegistryAsksAFlatPayloadFirst: Decode and DecodeWith take a FlatPayload's own reading when it gives
// one, without calling the general parser, and fall through to the parser when it declines. Without the
// registry's wiring the fast readers are never used, and nothing else would fail.
func TestTheRegistryAsksAFlatPayloadFirst(t *testing.T) {
	t.Parallel()
	// given a registry holding a FlatPayload type
	registry := aggregates.NewRegistry()
	aggregates.MustRegister[flatNoted](registry, "note.flat")
	errParserCalled := errors.New("the general parser was called")
	refuse := func([]byte, any) error { return errParserCalled }
	cases := []struct {
		name    string
		payload string
		decode  func(data []byte) (any, error)
		want    any
		wantErr error
	}{
		{"Decode, read flat", `{"n":7}`, decodeWith(registry, nil), flatNoted{N: 42}, nil},
		{"DecodeWith, read flat: the parser is not called", `{"n":7}`, decodeWith(registry, refuse), flatNoted{N: 42}, nil},
		{"Decode, declined: encoding/json reads it", `{"n": 8}`, decodeWith(registry, nil), flatNoted{N: 8}, nil},
		{"DecodeWith, declined: the given parser decides", `{"n": 8}`, decodeWith(registry, refuse), nil, errParserCalled},
		{"DecodeView, read flat: the parser is not called", `{"n":7}`, decodeView(registry, refuse), flatNoted{N: 42}, nil},
		{"DecodeView, declined: the given parser decides", `{"n": 8}`, decodeView(registry, refuse), nil, errParserCalled},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// when the payload is decoded
			got, err := c.decode([]byte(c.payload))
			// then the flat reading is taken when given, and the parser decides otherwise
			if !errors.Is(err, c.wantErr) || (c.wantErr == nil && got != c.want) {
				t.Fatalf("decode(%s) = %#v, %v; want %#v, %v", c.payload, got, err, c.want, c.wantErr)
			}
		})
	}
}

// decodeWith decodes note.flat at version 1 with Decode (unmarshal nil) or with DecodeWith(unmarshal).
func decodeWith(r *aggregates.Registry, unmarshal aggregates.Unmarshal) func([]byte) (any, error) {
	return func(data []byte) (any, error) {
		if unmarshal == nil {
			return r.Decode("note.flat", 1, data)
		}
		return r.DecodeWith(unmarshal, "note.flat", 1, data)
	}
}

// decodeView decodes note.flat at version 1 with DecodeView(unmarshal).
func decodeView(r *aggregates.Registry, unmarshal aggregates.Unmarshal) func([]byte) (any, error) {
	return func(data []byte) (any, error) { return r.DecodeView(unmarshal, "note.flat", 1, data) }
}
