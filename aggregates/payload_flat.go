package aggregates

import (
	"strconv"
	"time"
)

// FlatPayload is implemented by an event type that reads its usual payloads itself, without reflection:
// Decode and DecodeWith ask it first and use the general parser only when it declines. Reading the log is
// most of a rebuild's Go CPU, and the general parsers (encoding/json, or the projections' JSON v2 in its v1
// mode) go through reflection and allocate for every field; a newsletter payload read here costs a fraction
// of that and one allocation for all its strings.
//
// ReadFlat reads the payload from r (at its start) and returns it as a value of the type (not a pointer) and
// true, or false when it is not sure to read the payload exactly as encoding/json would: it must decline
// anything unusual (a key it does not know or in another case, a null, an escape, invalid UTF-8, a number
// that is not a plain integer, a time that time.Time.UnmarshalText refuses), and the general parser then
// decides, errors included. It never fails on its own.
//
// Warning: a ReadFlat that accepts a payload must give what encoding/json gives for it, or the projections
// and the commands read one log differently; FuzzFlatPayloadsReadAsEncodingJSON (package projections)
// checks every registered type that implements it. Its strings share one copy of the payload (or, through
// DecodeView, the caller's own bytes), which stays in memory as long as any of them does, personal fields
// included: a value read this way that is kept in a long-lived cache keeps every personal string of its
// payload in memory, even after an erasure.
type FlatPayload interface {
	ReadFlat(r FlatReader) (value any, ok bool)
}

// FlatReader reads one JSON document for a FlatPayload: each method reports false on what it does not read
// exactly as encoding/json would, and the caller then declines the payload.
type FlatReader struct {
	s flatScanner
}

// NewFlatReader starts reading data. The strings it returns are slices of one copy of data.
func NewFlatReader(data []byte) FlatReader {
	return FlatReader{s: flatScanner{raw: data, text: string(data)}}
}

// viewFlatReader starts reading data without a copy: the strings it returns are slices of data itself
// (see viewOf), so data must never change while they live.
func viewFlatReader(data []byte) FlatReader {
	return FlatReader{s: flatScanner{raw: data, text: viewOf(data)}}
}

// Object reads an object, calling field for each key in turn with the reader at the key's value; field must
// read the value and report whether it did (false for a key it does not know, or a value it cannot read). A
// key seen twice is read twice, as encoding/json does: the last string wins, a second object is merged into
// the first.
func (r *FlatReader) Object(field func(key string) bool) bool {
	if !r.s.skip('{') {
		return false
	}
	if r.s.skip('}') {
		return true
	}
	for {
		key, ok := r.s.str()
		if !ok || !r.s.skip(':') || !field(key) {
			return false
		}
		if r.s.skip('}') {
			return true
		}
		if !r.s.skip(',') {
			return false
		}
	}
}

// End reports whether nothing but white space follows what was read.
func (r *FlatReader) End() bool { return r.s.atEnd() }

// String reads a string without escapes or control characters, in valid UTF-8, into dst.
func (r *FlatReader) String(dst *string) bool {
	value, ok := r.s.str()
	if ok {
		*dst = value
	}
	return ok
}

// Int64 reads a plain JSON integer (an optional minus, no fraction, exponent or leading zero) into dst.
func (r *FlatReader) Int64(dst *int64) bool {
	r.s.space()
	start := r.s.at
	if r.s.at < len(r.s.raw) && r.s.raw[r.s.at] == '-' {
		r.s.at++
	}
	digits := r.s.at
	for r.s.at < len(r.s.raw) && r.s.raw[r.s.at] >= '0' && r.s.raw[r.s.at] <= '9' {
		r.s.at++
	}
	if r.s.at == digits || (r.s.raw[digits] == '0' && r.s.at > digits+1) {
		return false
	}
	n, err := strconv.ParseInt(r.s.text[start:r.s.at], 10, 64)
	if err == nil {
		*dst = n
	}
	return err == nil
}

// Time reads a string as time.Time's UnmarshalJSON does (RFC 3339, strictly) into dst; a string it would
// refuse is left to the general parser, which gives the error.
func (r *FlatReader) Time(dst *time.Time) bool {
	value, ok := r.s.str()
	if !ok {
		return false
	}
	var t time.Time
	if t.UnmarshalText(r.s.raw[r.s.at-1-len(value):r.s.at-1]) != nil {
		return false
	}
	*dst = t
	return true
}
