package personaldata

import (
	"bytes"
	"encoding/json"
	"errors"
	"unicode/utf8"
)

// member is one top-level member of a JSON object: its name and where its value lies in the document.
type member struct {
	name       string
	start, end int // data[start:end] is the value
}

// errNotAnObject is returned for event data that is not a JSON object: it cannot hold a personal field.
var errNotAnObject = errors.New("personaldata: event data is not a JSON object")

// membersOf lists the top-level members of the JSON object data, in order, without decoding their values.
// Every event is read and written through it, so it walks the bytes once and allocates only the list: a
// decode into a map and an encode back cost several times what sealing itself does.
func membersOf(data []byte) ([]member, error) {
	s := scanner{data: data}
	if !s.skipSpace() || data[s.i] != '{' {
		return nil, errNotAnObject
	}
	s.i++
	out := make([]member, 0, 8)
	for {
		if !s.skipSpace() {
			return nil, errNotAnObject
		}
		if data[s.i] == '}' && len(out) == 0 {
			return out, s.end()
		}
		nameStart := s.i
		if data[s.i] != '"' || !s.skipString() {
			return nil, errNotAnObject
		}
		name, err := memberName(data[nameStart:s.i])
		if err != nil {
			return nil, err
		}
		if !s.skipSpace() || data[s.i] != ':' {
			return nil, errNotAnObject
		}
		s.i++
		if !s.skipSpace() {
			return nil, errNotAnObject
		}
		m := member{name: name, start: s.i}
		if !s.skipValue() {
			return nil, errNotAnObject
		}
		m.end = s.i
		out = append(out, m)
		if !s.skipSpace() {
			return nil, errNotAnObject
		}
		switch data[s.i] {
		case ',':
			s.i++
		case '}':
			return out, s.end()
		default:
			return nil, errNotAnObject
		}
	}
}

// memberName reads a quoted member name; one with escapes or invalid UTF-8 goes through encoding/json, so
// names read as the registry's decoding reads them.
func memberName(quoted []byte) (string, error) {
	if bytes.IndexByte(quoted, '\\') < 0 && utf8.Valid(quoted) {
		return string(quoted[1 : len(quoted)-1]), nil
	}
	var name string
	if err := json.Unmarshal(quoted, &name); err != nil {
		return "", errNotAnObject
	}
	return name, nil
}

// replaceValues returns data with the value of members[i] replaced by values[i] where values[i] is not nil.
func replaceValues(data []byte, members []member, values [][]byte) []byte {
	out := make([]byte, 0, len(data)+len(data)/2)
	last := 0
	for i, m := range members {
		if values[i] == nil {
			continue
		}
		out = append(out, data[last:m.start]...)
		out = append(out, values[i]...)
		last = m.end
	}
	return append(out, data[last:]...)
}

// scanner walks a JSON document. It checks structure (quotes, brackets, separators), not the grammar of
// numbers and literals: the documents come from encoding/json, and registry.Decode checks them in full.
type scanner struct {
	data []byte
	i    int
}

// skipSpace moves past white space and reports whether a byte is left.
func (s *scanner) skipSpace() bool {
	for s.i < len(s.data) {
		switch s.data[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return true
		}
	}
	return false
}

// skipString moves past the string starting at s.i (its opening quote).
func (s *scanner) skipString() bool {
	for s.i++; s.i < len(s.data); s.i++ {
		switch s.data[s.i] {
		case '\\':
			s.i++
		case '"':
			s.i++
			return true
		}
	}
	return false
}

// skipValue moves past the value starting at s.i.
func (s *scanner) skipValue() bool {
	switch s.data[s.i] {
	case '"':
		return s.skipString()
	case '{', '[':
		depth := 0
		for s.i < len(s.data) {
			switch s.data[s.i] {
			case '"':
				if !s.skipString() {
					return false
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					s.i++
					return true
				}
			}
			s.i++
		}
		return false
	}
	start := s.i
	for ; s.i < len(s.data); s.i++ {
		switch s.data[s.i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return s.i > start
		}
	}
	return s.i > start
}

// end checks that only white space follows the object's closing brace at s.i.
func (s *scanner) end() error {
	s.i++
	if s.skipSpace() {
		return errNotAnObject
	}
	return nil
}
