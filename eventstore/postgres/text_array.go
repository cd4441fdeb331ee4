package postgres

import (
	"database/sql/driver"
	"strings"
)

// textArray is a text[] parameter of an append (stream names, event ids and types), encoded into one buffer
// and returned as []byte: lib/pq sends an array parameter's []byte as it is, where pq.StringArray grows its
// buffer element by element, then copies it into a string, which lib/pq copies back into bytes to send.
// Every element is quoted, so none reads as NULL; only an element with a `"` or `\` is escaped (stream
// names, uuids and event types have neither), and only then does the buffer grow past its first size.
//
// Warning: "as it is" holds in lib/pq's default text mode only. With binary_parameters=yes in the DSN a
// []byte goes out as binary data and the server refuses the array (as it refuses the deadline projection's
// jsonb []byte): the store's connections must not set that option.
type textArray []string

// Value encodes the array in PostgreSQL's text form: {"a","b \"c\""}.
func (a textArray) Value() (driver.Value, error) {
	if a == nil {
		return nil, nil
	}
	size := 2 + max(len(a)-1, 0)
	for _, element := range a {
		size += 2 + len(element)
	}
	b := make([]byte, 0, size)
	b = append(b, '{')
	for i, element := range a {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendQuotedElement(b, element)
	}
	return append(b, '}'), nil
}

// appendQuotedElement appends element quoted, with a backslash before each `"` and `\`.
func appendQuotedElement(b []byte, element string) []byte {
	b = append(b, '"')
	for {
		i := strings.IndexAny(element, `"\`)
		if i < 0 {
			break
		}
		b = append(b, element[:i]...)
		b = append(b, '\\', element[i])
		element = element[i+1:]
	}
	b = append(b, element...)
	return append(b, '"')
}
