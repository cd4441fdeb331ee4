package transport

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// The API's rule for integer fields (ids, quantities): a JSON number whose value is whole, however it is
// written (9207, 9207.0, 9.207e3), or a string of a base-10 integer ("9207"); not a fraction (1.5), nor a
// string of anything else ("9207.0", "1e3"), nor another JSON type. Every integer field of a body reads
// its value through Params.IntegerText or integerText, so the fields of one request cannot disagree.

// IntegerText is String for an integer field: a whole JSON number is given as its base-10 text; anything
// else as String gives it, for the field's parser (strconv.ParseInt) to accept or refuse.
func (p Params) IntegerText(name string) (string, bool) {
	text, ok := p.String(name)
	if ok && !p.IsText(name) {
		text = wholeNumberText(text)
	}
	// A list or an object with something in it is given, but is no integer: its JSON text fails the field's
	// parser ("must be an integer"); an empty one is as good as nothing ("required"), as Laravel has it.
	if raw, given := p.Raw(name); !ok && given && holdsSomething(raw) {
		return string(raw), true
	}
	return text, ok
}

// holdsSomething reports whether raw is a JSON list or object with at least one element or member.
func holdsSomething(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0:
		return false
	case raw[0] == '[':
		var list []json.RawMessage
		return json.Unmarshal(raw, &list) == nil && len(list) > 0
	case raw[0] == '{':
		var object map[string]json.RawMessage
		return json.Unmarshal(raw, &object) == nil && len(object) > 0
	}
	return false
}

// integerText is IntegerText for a value inside a JSON body's nested object (an order's item): a JSON
// string as its text, a whole JSON number as its base-10 text; false for null, absent or another type.
func integerText(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || isJSONNull(raw) || raw[0] == '[' || raw[0] == '{':
		return "", false
	case raw[0] == '"':
		var s string
		return s, json.Unmarshal(raw, &s) == nil
	}
	return wholeNumberText(string(raw)), true
}

// wholeNumberText is the base-10 text of a JSON number literal whose value is whole ("9207.0" and "9.207e3"
// are "9207"), or the literal unchanged when it is a fraction, not a number, or has more than 20 digits
// (beyond int64, which the caller's parser refuses as it refuses the literal).
func wholeNumberText(literal string) string {
	mantissa, exponent, hasExponent := strings.Cut(strings.ToLower(literal), "e")
	whole, fraction, hasFraction := strings.Cut(mantissa, ".")
	if !hasExponent && !hasFraction {
		return literal
	}
	shift := 0
	if hasExponent {
		n, err := strconv.Atoi(exponent)
		if err != nil || n > 20 || n < -20 {
			return literal
		}
		shift = n
	}
	digits := whole + fraction
	shift -= len(fraction)
	for shift < 0 && strings.HasSuffix(digits, "0") {
		digits, shift = digits[:len(digits)-1], shift+1
	}
	if shift < 0 || len(digits)+shift > 21 {
		return literal
	}
	return digits + strings.Repeat("0", shift)
}
