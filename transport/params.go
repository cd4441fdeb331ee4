package transport

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
)

// Params is the one view of a request's input that handlers read: query string and body (JSON or
// form-encoded) merged, the body winning when both carry a name, as Laravel (the reference implementation)
// does. Values are kept as JSON so nested body values (arrays, objects) survive; query and form values
// become JSON strings, and `name[]` keys become arrays of strings.
type Params struct {
	values map[string]json.RawMessage
}

// Has reports whether the request carried the name with a non-null value.
func (p Params) Has(name string) bool {
	raw, ok := p.values[name]
	return ok && !isJSONNull(raw)
}

// Raw returns the value as JSON, for handlers that decode arrays or objects into their own types.
func (p Params) Raw(name string) (json.RawMessage, bool) {
	raw, ok := p.values[name]
	if !ok || isJSONNull(raw) {
		return nil, false
	}
	return raw, true
}

// String returns a scalar value as text: a JSON string unquoted, a number or boolean as written. It reports
// false when the name is absent, null, an array or an object, so handlers treat those as "not given".
func (p Params) String(name string) (string, bool) {
	raw, ok := p.Raw(name)
	if !ok {
		return "", false
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		return s, true
	case '[', '{':
		return "", false
	}
	return string(raw), true
}

// merged returns p with every value of over replacing p's value of the same name.
func (p Params) merged(over Params) Params {
	out := make(map[string]json.RawMessage, len(p.values)+len(over.values))
	for name, v := range p.values {
		out[name] = v
	}
	for name, v := range over.values {
		out[name] = v
	}
	return Params{values: out}
}

// paramsFromValues turns a parsed query string or form body into Params. A repeated plain name keeps its last
// value (as PHP does); a name ending in "[]" collects every value into an array under the bare name.
func paramsFromValues(values url.Values) Params {
	out := make(map[string]json.RawMessage, len(values))
	for name, vs := range values {
		if list, ok := strings.CutSuffix(name, "[]"); ok && list != "" {
			out[list] = mustMarshal(vs)
			continue
		}
		out[name] = mustMarshal(vs[len(vs)-1])
	}
	return Params{values: out}
}

func isJSONNull(raw json.RawMessage) bool {
	return len(raw) == 0 || bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

// mustMarshal encodes strings and string slices, which cannot fail.
func mustMarshal(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
