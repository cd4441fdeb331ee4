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

// Text is the API's one reader of text fields, whatever the endpoint (profile, addresses, newsletter,
// subscriptions, coupons, orders, gateway tokens): a string as given (a JSON string unquoted, a query or
// form value as sent), and a JSON number as written, since front ends send postal codes, phone numbers and
// coupon codes as numbers and mean the text (12345 is "12345"). Absent or null is "" and true; a boolean,
// list or object is no text: "" and false, which the caller answers with its field's "must be a string"
// message. Every text field reads here, so one endpoint cannot accept what another refuses.
func (p Params) Text(name string) (string, bool) {
	v, ok := p.values[name]
	if !ok || v.raw == nil {
		return v.text, true
	}
	raw := bytes.TrimSpace(v.raw)
	switch {
	case isJSONNull(raw):
		return "", true
	case raw[0] == '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err == nil
	case isJSONNumber(raw):
		return string(raw), true
	}
	return "", false
}

// String returns a scalar value as text: a string as given (a JSON string unquoted), a number or boolean
// as written. It reports false when the name is absent, null, an array or an object. It is the raw scalar
// for the parsers of non-text fields (booleans, integers); text fields read Text, which refuses booleans.
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

// isJSONNumber reports whether raw, a valid JSON value, is a number: only numbers start with a digit or '-'.
func isJSONNumber(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && (raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'))
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
