package transport

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// The API's rule for integer fields (ids, quantities): a JSON number whose value is whole, however it is
// written (9207, 9207.0, 9.207e3), or a string of a base-10 integer ("9207"); not a fraction (1.5), nor a
// string of anything else ("9207.0", "1e3"), nor another JSON type. Every integer field of a body reads
// its value through Params.Integer (an order's item too, its members wrapped in Params), so the fields of
// one request cannot disagree.

var (
	// errIntegerRequired: a required integer field holds nothing (absent, null, "", an empty list or object).
	errIntegerRequired = errors.New("integer field required")
	// errNotInteger: an integer field holds something that is no integer by the rule.
	errNotInteger = errors.New("not an integer")
)

// Integer reads an integer field, the one rule for what "nothing" is. Absent, null and "" hold no value
// (given false): errIntegerRequired when the field is required, else no error. An empty list or object
// holds nothing a required field can use (errIntegerRequired, as Laravel's required rule has it) and is no
// integer for an optional one (errNotInteger). Any other value is the integer (given true), errNotInteger
// when it is none, or strconv's range error (errors.Is strconv.ErrRange) when it is beyond int64. Each
// field's own bounds and messages stay the caller's.
func (p Params) Integer(name string, required bool) (n int64, given bool, err error) {
	text, ok := p.IntegerText(name)
	switch {
	case ok && text != "":
	case !p.Has(name) || ok || required: // absent or null, "", or a required field's empty list or object
		if required {
			return 0, false, errIntegerRequired
		}
		return 0, false, nil
	default:
		return 0, true, errNotInteger
	}
	n, err = strconv.ParseInt(text, 10, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		err = errNotInteger
	}
	return n, true, err
}

// IntegerText is String for an integer field: a whole JSON number is given as its base-10 text; anything
// else as String gives it, for the field's parser (strconv.ParseInt) to accept or refuse.
func (p Params) IntegerText(name string) (string, bool) {
	text, ok := p.String(name)
	if ok && isJSONNumber(p.values[name].raw) {
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
