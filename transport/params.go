package transport

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/url"
	"strings"
)

// Params is the one view of a request's input that handlers read: query string and body (JSON or
// form-encoded) merged, the body winning when both carry a name, as Laravel (the reference implementation)
// does. Body values are kept as JSON so nested values (arrays, objects) survive; query and form values are
// strings, kept as text and encoded as JSON strings only when a handler asks for the JSON (Raw), since most
// requests only read them as text; `name[]` keys become arrays of strings.
type Params struct {
	values map[string]param
}

// param is one value: raw JSON, or, when raw is nil, the plain string text.
type param struct {
	raw  json.RawMessage
	text string
}

// json returns the value as JSON.
func (p param) json() json.RawMessage {
	if p.raw == nil {
		return mustMarshal(p.text)
	}
	return p.raw
}

// Has reports whether the request carried the name with a non-null value.
func (p Params) Has(name string) bool {
	v, ok := p.values[name]
	return ok && (v.raw == nil || !isJSONNull(v.raw))
}

// Raw returns the value as JSON, for handlers that decode arrays or objects into their own types.
func (p Params) Raw(name string) (json.RawMessage, bool) {
	if !p.Has(name) {
		return nil, false
	}
	return p.values[name].json(), true
}

// IsText reports whether the value was given as text: a query or form value, or a JSON string (not a
// number, boolean, array or object), for fields whose rules refuse anything but a string.
func (p Params) IsText(name string) bool {
	v, ok := p.values[name]
	return ok && (v.raw == nil || bytes.HasPrefix(bytes.TrimSpace(v.raw), []byte(`"`)))
}

// Text returns an optional text value, for fields whose rules take only strings: "" when absent or null,
// and false when it was given as anything but text (a number, boolean, list or object).
func (p Params) Text(name string) (string, bool) {
	if !p.Has(name) {
		return "", true
	}
	value, ok := p.String(name)
	return value, ok && p.IsText(name)
}

// String returns a scalar value as text: a string as given (a JSON string unquoted), a number or boolean
// as written. It reports false when the name is absent, null, an array or an object, so handlers treat
// those as "not given".
func (p Params) String(name string) (string, bool) {
	v, ok := p.values[name]
	if !ok {
		return "", false
	}
	if v.raw == nil {
		return v.text, true
	}
	raw := v.raw
	if isJSONNull(raw) {
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

// each calls f with every name and its value as JSON (null included), in no particular order.
func (p Params) each(f func(name string, raw json.RawMessage)) {
	for name, v := range p.values {
		f(name, v.json())
	}
}

// merged returns p with every value of over replacing p's value of the same name.
func (p Params) merged(over Params) Params {
	out := make(map[string]param, len(p.values)+len(over.values))
	maps.Copy(out, p.values)
	maps.Copy(out, over.values)
	return Params{values: out}
}

// paramsFromValues turns a parsed query string or form body into Params. A repeated plain name keeps its last
// value (as PHP does); a name ending in "[]" collects every value into an array under the bare name.
func paramsFromValues(values url.Values) Params {
	out := make(map[string]param, len(values))
	for name, vs := range values {
		if list, ok := strings.CutSuffix(name, "[]"); ok && list != "" {
			out[list] = param{raw: mustMarshal(vs)}
			continue
		}
		out[name] = param{text: vs[len(vs)-1]}
	}
	return Params{values: out}
}

// paramsFromJSON wraps the members of a JSON object.
func paramsFromJSON(members map[string]json.RawMessage) Params {
	out := make(map[string]param, len(members))
	for name, raw := range members {
		out[name] = param{raw: raw}
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
