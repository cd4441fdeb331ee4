package postgres

import (
	"database/sql/driver"
	"encoding/hex"
)

// byteaArray is a bytea[] parameter that keeps nil elements NULL (pq.ByteaArray writes them as empty
// values), so an event appended without metadata reads back with nil metadata.
type byteaArray [][]byte

// Value encodes the array in PostgreSQL's text form, {NULL,"\\x0a0b"}, hex-encoding each element straight
// into one buffer of the exact size. It returns []byte, not string: lib/pq sends an array parameter's bytes
// as they are, where a string would be copied once more (see textArray).
func (a byteaArray) Value() (driver.Value, error) {
	if a == nil {
		return nil, nil
	}
	size := 2 + max(len(a)-1, 0)
	for _, element := range a {
		size += byteaElementSize(element)
	}
	b := make([]byte, 0, size)
	b = append(b, '{')
	for i, element := range a {
		if i > 0 {
			b = append(b, ',')
		}
		if element == nil {
			b = append(b, "NULL"...)
			continue
		}
		b = append(b, `"\\x`...)
		b = hex.AppendEncode(b, element)
		b = append(b, '"')
	}
	return append(b, '}'), nil
}

// byteaElementSize is the length of element in byteaArray's text form.
func byteaElementSize(element []byte) int {
	if element == nil {
		return len("NULL")
	}
	return len(`"\\x"`) + hex.EncodedLen(len(element))
}
